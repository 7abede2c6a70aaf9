import { KeyVaultHttpError } from "./http-error.js";

/** Who made a request, as the authorizer decided. */
export interface Principal {
  id: string;
  kind: "anonymous-bearer" | "service-principal" | "user" | "managed-identity";
}

/**
 * Decides who a bearer token belongs to, or refuses it. The default (open mode) accepts any
 * non-empty token: fine on loopback for SDKs and tools that bring a dummy token. Token
 * validation and RBAC plug in here.
 */
export type Authorizer = (token: string, request: { method: string; path: string }) => Principal | Promise<Principal>;

export const openModeAuthorizer: Authorizer = () => ({ id: "open-mode", kind: "anonymous-bearer" });

/** The tenant the challenge names; the SDK passes it to the credential as a hint only. */
export const CHALLENGE_TENANT = "00000000-0000-0000-0000-000000000000";

/**
 * 401 with Key Vault's challenge. Parameters are separated by ", " and double-quoted: the SDK's
 * parser splits on /,? +/ and ignores anything else (fact sheet §3.3).
 */
export function challenge(message = "AKV10000: Request is missing a Bearer or PoP token."): KeyVaultHttpError {
  return new KeyVaultHttpError(401, "Unauthorized", message, {
    headers: {
      "WWW-Authenticate": `Bearer authorization="https://login.microsoftonline.com/${CHALLENGE_TENANT}", resource="https://vault.azure.net"`,
    },
  });
}

/** The bearer token, or a 401 challenge when there is none. Runs before the body is read. */
export function bearerToken(header: string | undefined | null): string {
  if (!header) throw challenge();
  const match = /^Bearer\s+(\S.*)$/i.exec(header.trim());
  if (!match || match[1]!.trim() === "" || header.includes(",")) throw challenge();
  return match[1]!.trim();
}
