import { KeyVaultHttpError } from "./errors.js";

/** Who made a request, as the authorizer decided. */
export interface Principal {
  id: string;
  kind: "anonymous-bearer" | "service-principal" | "user" | "managed-identity";
}

/** What an authorizer sees: the token and the operation, never the body (it is not read yet). */
export interface AuthRequest {
  /** The bearer token, non-empty. */
  token: string;
  method: string;
  path: string;
  /** The vault the request is for (its name in this server). */
  vault: string;
  /** The data action the operation needs, e.g. `Microsoft.KeyVault/vaults/secrets/getSecret/action` (docs/keyvault-wire.md §12). */
  action: string;
  /** A request header by lowercase name. */
  header(name: string): string | undefined;
}

/**
 * Decides who a token belongs to and whether it may perform the action: returns the principal, or
 * returns (or throws) a {@link KeyVaultHttpError} with status 401 (see {@link challenge}) or 403
 * (see {@link forbidden}). Token validation and RBAC plug in here.
 */
export type Authorizer = (request: AuthRequest) => Principal | KeyVaultHttpError | Promise<Principal | KeyVaultHttpError>;

/**
 * Open mode: any non-empty bearer token is accepted. Fine for SDKs and tools that bring a dummy
 * token, and only on loopback: serve.ts refuses other addresses unless tokens are validated.
 */
export const openModeAuthorizer: Authorizer = () => OPEN_MODE_PRINCIPAL;
const OPEN_MODE_PRINCIPAL: Principal = Object.freeze({ id: "open-mode", kind: "anonymous-bearer" });

/** The tenant the challenge names; the SDK passes it to the credential as a hint only. */
export const CHALLENGE_TENANT = "00000000-0000-0000-0000-000000000000";

/**
 * 401 with Key Vault's challenge. Parameters are separated by ", " and double-quoted: the SDK's
 * parser splits on /,? +/ and ignores anything else (docs/keyvault-wire.md §3.3). No `error=` parameter: that
 * would read as a CAE claims challenge.
 */
export function challenge(message = "AKV10000: Request is missing a Bearer or PoP token."): KeyVaultHttpError {
  return new KeyVaultHttpError(401, "Unauthorized", message, {
    headers: {
      "www-authenticate": `Bearer authorization="https://login.microsoftonline.com/${CHALLENGE_TENANT}", resource="https://vault.azure.net"`,
    },
  });
}

/** 403 as Key Vault words a refused RBAC check; `innerCode` e.g. `ForbiddenByRbac`. */
export function forbidden(message: string, innerCode = "ForbiddenByRbac"): KeyVaultHttpError {
  return new KeyVaultHttpError(403, "Forbidden", message, { innerCode });
}

const BEARER = /^Bearer[ \t]+([^\s,]+)[ \t]*$/i;

/**
 * The bearer token, or a 401 challenge when there is none. Runs before anything else, the body
 * included: the SDK's first request of a client carries no token and an emptied body (§3.2).
 * A comma means several Authorization headers were joined: ambiguous, so refused.
 */
export function bearerToken(header: string | undefined | null): string {
  if (!header) throw challenge();
  const match = BEARER.exec(header);
  if (!match) throw challenge();
  return match[1]!;
}
