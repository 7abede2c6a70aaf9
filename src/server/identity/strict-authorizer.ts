import { CHALLENGE_TENANT, forbidden, type Authorizer, type Principal } from "../auth.js";
import { KeyVaultHttpError } from "../errors.js";
import type { IdentityStore } from "./identity-store.js";
import { roleGrants } from "./roles.js";
import type { TokenService } from "./token-service.js";

/**
 * A 401 for a token that is present but not good. Same challenge as a missing token, plus
 * `error="invalid_token"` (RFC 6750): the SDK's policy reads `error` only to spot a CAE claims
 * challenge (`insufficient_claims`, never sent here), so it simply fetches a new token.
 */
export function invalidToken(reason: string): KeyVaultHttpError {
  return new KeyVaultHttpError(401, "Unauthorized", `AKV10000: ${reason}`, {
    headers: {
      "www-authenticate": `Bearer authorization="https://login.microsoftonline.com/${CHALLENGE_TENANT}", resource="https://vault.azure.net", error="invalid_token"`,
    },
  });
}

/**
 * Strict mode: the token must be one this server issued (signature, issuer, audience, lifetime),
 * and one of the principal's role assignments on the vault must grant the operation's data action.
 * Assignments are read per request, so `orbitra vault role assign|remove` takes effect at once.
 */
export function createStrictAuthorizer(tokens: TokenService, identities: IdentityStore): Authorizer {
  return (request) => {
    const check = tokens.validate(request.token);
    if (!check.ok) return invalidToken(check.reason);
    const subject = check.claims.sub;
    const principal = identities.getPrincipal(subject);
    if (principal) {
      const roles = identities.rolesFor(principal.id, request.vault);
      if (roles.some((role) => roleGrants(role, request.action))) {
        const granted: Principal = { id: principal.id, kind: principal.kind };
        return granted;
      }
    }
    const operation = request.action.split("/").slice(-2).join("/");
    return forbidden(
      `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n` +
        `Caller: oid=${subject}\r\nAction: '${request.action}'\r\nResource: '/vaults/${request.vault}'\r\n` +
        `Assignment: (not found)\r\nDecisionReason: 'DeniedWithNoValidRBAC'\r\nVault: ${request.vault};\r\nOperation: ${operation}`,
    );
  };
}
