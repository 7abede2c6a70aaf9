import { AZURE_LOGIN_HOSTS } from "../../core/azure-hosts.js";
import { SERVER_TENANT, TokenService } from "./token-service.js";

/**
 * The OpenID configuration MSAL reads before it asks for a token, at `/{tenant}/v2.0/...` (its
 * authority metadata). Endpoints are on the origin the client reached: the vault's port, or
 * `https://login.microsoftonline.com` through the proxy.
 */
export function openIdConfiguration(origin: string): Record<string, unknown> {
  const base = `${origin}/${SERVER_TENANT}`;
  return {
    issuer: TokenService.issuer(origin),
    token_endpoint: `${base}/oauth2/v2.0/token`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["ES256"],
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt"],
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    revocation_endpoint: `${base}/oauth2/v2.0/revoke`,
    grant_types_supported: ["client_credentials", "urn:ietf:params:oauth:grant-type:device_code", "authorization_code", "refresh_token"],
    code_challenge_methods_supported: ["S256"],
    scopes_supported: ["openid", "profile", "offline_access"],
    tenant_region_scope: null,
    cloud_instance_name: "orbitra.local",
  };
}

/**
 * The v1 document (`/{tenant}/.well-known/openid-configuration`, and `/adfs/...`, which the Azure
 * CLI asks to tell Entra from ADFS). Entra's v1 issuer is `https://sts.windows.net/{tenant}/`; the
 * CLI reads the tenant id from its 4th `/`-segment. Endpoints are the v2 ones: MSAL uses those.
 */
export function openIdConfigurationV1(origin: string): Record<string, unknown> {
  return { ...openIdConfiguration(origin), issuer: `https://sts.windows.net/${SERVER_TENANT}/` };
}

/**
 * `GET /common/discovery/instance`: MSAL's instance discovery (Python's always, JS's unless
 * disabled). One cloud: the host asked, and Entra's public aliases, so whichever alias a client
 * starts from resolves to the same cache and the same endpoints.
 */
export function instanceDiscovery(origin: string): Record<string, unknown> {
  const host = new URL(origin).host;
  const aliases = [...new Set([host, ...AZURE_LOGIN_HOSTS.slice(0, 4)])];
  return {
    tenant_discovery_endpoint: `${origin}/{tenant}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: host, preferred_cache: host, aliases }],
  };
}
