import { randomUUID } from "node:crypto";
import type { VaultRequest, VaultResponse } from "../handler.js";
import { createBrowserSignIn } from "./browser-sign-in.js";
import { instanceDiscovery, openIdConfiguration, openIdConfigurationV1 } from "./discovery-documents.js";
import type { IdentityStore, StoredPrincipal } from "./identity-store.js";
import { LoginThrottle } from "./login-throttle.js";
import type { TokenService } from "./token-service.js";
// Entra (and so MSAL) spell the device-code grant "device_code"; RFC 8628 spells it as a URN.
import { createUserGrants, DEVICE_CODE_GRANT, deviceLoginPage, grantResource, type GrantResult, type UserGrantOptions } from "./user-grants.js";

const JSON_TYPE = "application/json; charset=utf-8";
const FORM_LIMIT = 16 * 1024;
const TENANT_SEGMENT = /^[A-Za-z0-9.-]{1,64}$/;
const JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/**
 * Who a confidential client is. Strict mode: the principals of identity.db (client secrets only).
 * Open mode (`vault serve --proxy` without --auth strict, loopback only): any client id with any
 * secret or certificate assertion, as a throwaway principal of that id.
 */
export interface ClientCheck {
  secret(clientId: string, secret: string): Promise<StoredPrincipal | undefined> | StoredPrincipal | undefined;
  /** Undefined when certificate credentials are not accepted. */
  assertion?(clientId: string, assertion: string): StoredPrincipal | undefined;
}

export interface TokenEndpointOptions {
  /** Who may sign in; default: identity.db's principals, by client secret. */
  clients?: ClientCheck;
  /** Failed sign-ins allowed per client id and per source (login-throttle.ts); default its defaults. */
  throttle?: LoginThrottle;
}

/** Open mode's {@link ClientCheck}: everyone is who they say. */
export const anyClient: ClientCheck = {
  secret: (clientId) => openPrincipal(clientId),
  assertion: (clientId, assertion) => (assertion.split(".").length === 3 ? openPrincipal(clientId) : undefined),
};

function openPrincipal(clientId: string): StoredPrincipal {
  return { id: clientId.toLowerCase(), name: `open-mode client ${clientId.slice(0, 40)}`, kind: "service-principal", createdAt: new Date(0).toISOString() };
}

/**
 * The Entra-shaped endpoints MSAL (inside @azure/identity, Python's azure-identity, the Azure CLI)
 * calls: on the vaults' own port in strict mode, and on `login.microsoftonline.com` through the
 * proxy (see proxy/):
 *
 *   GET  /common/discovery/instance                        (instance discovery: Python MSAL always asks)
 *   GET  /{tenant}/v2.0/.well-known/openid-configuration   (MSAL's authority metadata)
 *   GET  /{tenant}/.well-known/openid-configuration        (v1 document; also /adfs/..., which az asks)
 *   POST /{tenant}/oauth2/v2.0/token, /{tenant}/oauth2/token (client_credentials with a secret or a
 *                                                           certificate assertion, device_code,
 *                                                           authorization_code, refresh_token)
 *   GET  /{tenant}/oauth2/v2.0/authorize[/continue]        (browser sign-in with PKCE; see browser-sign-in.ts)
 *   POST /{tenant}/oauth2/v2.0/devicecode                  (starts a device-code sign-in; see user-grants.ts)
 *   POST /{tenant}/oauth2/v2.0/revoke                      (RFC 7009: a refresh token is refused from then on)
 *   GET  /devicelogin                                      (where a device-code prompt points: how approval works)
 *   GET  /{tenant}/discovery/v2.0/keys                     (the JWKS, for anyone validating our tokens)
 *   GET  /msi/token?resource=R&client_id=ID                (App Service's managed-identity endpoint, for
 *                                                           ManagedIdentityCredential with IDENTITY_ENDPOINT set here
 *                                                           and IDENTITY_HEADER = the service principal's secret)
 *
 * Returns undefined for any other path, which then goes to the Key Vault handler. Vault paths
 * start with `secrets` or `deletedsecrets`, never with one of these shapes.
 */
export function createTokenEndpoint(
  tokens: TokenService,
  identities: IdentityStore,
  userOptions: Pick<UserGrantOptions, "nowSeconds" | "autoApprove" | "pollIntervalSeconds">,
  endpointOptions: TokenEndpointOptions = {},
) {
  const clients = endpointOptions.clients ?? { secret: (id, secret) => identities.checkClientSecret(id, secret) };
  const checkSecret = checkSecretWith(clients, endpointOptions.throttle ?? new LoginThrottle());
  const managedIdentityToken = managedIdentityTokenWith(tokens, checkSecret);
  const users = createUserGrants({ tokens, identities, ...userOptions });
  const browser = createBrowserSignIn({ tokens, identities, ...userOptions });
  return function identityRoute(request: VaultRequest): VaultResponse | Promise<VaultResponse> | undefined {
    const queryAt = request.target.indexOf("?");
    const path = queryAt === -1 ? request.target : request.target.slice(0, queryAt);
    const segments = path.split("/").slice(1);
    const [tenant, ...rest] = segments;
    if (!tenant || !TENANT_SEGMENT.test(tenant)) return undefined;
    const tail = rest.join("/");
    const origin = `https://${request.header("host") ?? "localhost"}`;
    const source = request.remoteAddress;
    if (tenant === "devicelogin" && tail === "" && request.method === "GET") {
      const page = deviceLoginPage(identities.deviceCodes.listPending(userOptions.nowSeconds()).length);
      return { status: 200, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }, body: page };
    }
    if (tenant === "msi" && tail === "token" && request.method === "GET") {
      return managedIdentityToken(new URLSearchParams(queryAt === -1 ? "" : request.target.slice(queryAt + 1)), request.header("x-identity-header"), origin, source);
    }
    const query = () => new URLSearchParams(queryAt === -1 ? "" : request.target.slice(queryAt + 1));
    if (tail === "oauth2/v2.0/authorize" && request.method === "GET") return browser.authorize(query(), origin, tenant, source);
    if (tail === "oauth2/v2.0/authorize/continue" && request.method === "GET") return browser.continue(query(), `${origin}${request.target}`);
    if (request.method === "GET") {
      if (tail === "v2.0/.well-known/openid-configuration") return json(200, openIdConfiguration(origin));
      if (tail === ".well-known/openid-configuration") return json(200, openIdConfigurationV1(origin));
      if (tenant === "common" && tail === "discovery/instance") return json(200, instanceDiscovery(origin));
    }
    if (tail === "discovery/v2.0/keys" && request.method === "GET") return json(200, tokens.jwks());
    if (tail === "oauth2/v2.0/token" || tail === "oauth2/token" || tail === "oauth2/v2.0/devicecode" || tail === "oauth2/v2.0/revoke") {
      if (request.method !== "POST") return oauthError(405, "invalid_request", "AADSTS900561: The endpoint only accepts POST requests.", 900561);
      const answer =
        tail === "oauth2/v2.0/devicecode"
          ? (form: URLSearchParams, from: string) => grantResponse(users.deviceCode(form, from, source))
          : tail === "oauth2/v2.0/revoke"
            ? (form: URLSearchParams) => grantResponse(users.revoke(form))
            : tokenGrant;
      return request.body.read(FORM_LIMIT).then(
        (bytes) => answer(new URLSearchParams(Buffer.from(bytes).toString("utf8")), origin, source),
        () => oauthError(400, "invalid_request", "AADSTS900144: The request body is too large or unreadable.", 900144),
      );
    }
    return undefined;
  };

  function tokenGrant(form: URLSearchParams, origin: string, source: string | undefined): VaultResponse | Promise<VaultResponse> {
    const grant = form.get("grant_type");
    if (grant === DEVICE_CODE_GRANT || grant === "device_code") return grantResponse(users.redeemDeviceCode(form, origin));
    if (grant === "refresh_token") return grantResponse(users.redeemRefreshToken(form, origin));
    if (grant === "authorization_code") return grantResponse(browser.redeemAuthorizationCode(form, origin));
    if (grant !== "client_credentials") {
      return oauthError(400, "unsupported_grant_type", `AADSTS70003: The grant type '${(grant ?? "").slice(0, 40)}' is not supported by this server.`, 70003);
    }
    const clientId = form.get("client_id") ?? "";
    const secret = form.get("client_secret") ?? "";
    const assertion = form.get("client_assertion_type") === JWT_BEARER_ASSERTION ? (form.get("client_assertion") ?? "") : "";
    if (!clientId || (!secret && !assertion)) {
      return oauthError(400, "invalid_request", "AADSTS900144: The request body must contain client_id and client_secret or client_assertion.", 900144);
    }
    if (!secret && !clients.assertion) {
      return oauthError(401, "invalid_client", "AADSTS700027: Certificate credentials are not registered on this server: use a client secret (orbitra vault principal add).", 700027);
    }
    // The scope first: refusing it costs no hash. v1 clients (oauth2/token) name a resource rather than a scope.
    const resource = form.get("resource");
    const audience = grantResource(form.get("scope") ?? (resource ? `${resource.replace(/\/+$/, "")}/.default` : null), tokens);
    if (typeof audience !== "string") return grantResponse(audience);
    const checked = secret ? checkSecret(clientId, secret, source) : Promise.resolve(clients.assertion!(clientId, assertion));
    return checked.then((principal) => {
      if (typeof principal === "number") return throttled(principal);
      if (!principal) {
        // One answer for an unknown client and a wrong secret: nothing to learn about which ids exist.
        return oauthError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided, or no such application. See 'orbitra vault principal list'.", 7000215);
      }
      const issued = tokens.issue(principal, audience, origin);
      return json(200, { token_type: "Bearer", expires_in: issued.expiresIn, ext_expires_in: issued.expiresIn, access_token: issued.token });
    });
  }
}

/** The principal, undefined for a wrong secret or unknown id, or the seconds to wait when throttled. */
type SecretCheck = (clientId: string, secret: string, source: string | undefined) => Promise<StoredPrincipal | undefined | number>;

/** Every client-secret check goes through the throttle: a throttled caller costs no hash at all. */
function checkSecretWith(clients: ClientCheck, throttle: LoginThrottle): SecretCheck {
  return async (clientId, secret, source) => {
    const admission = throttle.admit(clientId, source);
    if (!admission.ok) return admission.retryAfterSeconds;
    let principal: StoredPrincipal | undefined;
    try {
      principal = await clients.secret(clientId, secret);
    } finally {
      admission.release(principal !== undefined);
    }
    return principal;
  };
}

/** App Service's managed-identity protocol (api-version 2019-08-01): the secret header identifies the caller. */
function managedIdentityTokenWith(tokens: TokenService, checkSecret: SecretCheck) {
  return (query: URLSearchParams, identityHeader: string | undefined, origin: string, source: string | undefined): VaultResponse | Promise<VaultResponse> => {
    const clientId = query.get("client_id") ?? "";
    if (!identityHeader || !clientId) {
      return json(400, { statusCode: 400, message: "A user-assigned client_id and the X-IDENTITY-HEADER secret are required: this server has no system-assigned identity." });
    }
    const resource = (query.get("resource") ?? "").replace(/\/\.default$/, "");
    if (!/^https:\/\/[^\s/]+/.test(resource)) return json(400, { statusCode: 400, message: "resource must be an https URL, e.g. https://vault.azure.net." });
    if (!tokens.acceptsAudience(resource)) return json(400, { statusCode: 400, message: "resource must be https://vault.azure.net or this server's own URL." });
    return checkSecret(clientId, identityHeader, source).then((checked) => {
      if (typeof checked === "number") return withRetryAfter(json(429, { statusCode: 429, message: "Too many failed sign-ins; retry later." }), checked);
      if (!checked) return json(401, { statusCode: 401, message: "Unknown client_id or wrong X-IDENTITY-HEADER." });
      const issued = tokens.issue(checked, resource, origin);
      return json(200, {
        access_token: issued.token,
        expires_on: String(issued.expiresOn),
        resource,
        token_type: "Bearer",
        client_id: checked.id,
      });
    });
  };
}

/** Too many failed sign-ins for this client id or from this address: no hash until Retry-After has passed. */
function throttled(retryAfterSeconds: number): VaultResponse {
  return withRetryAfter(
    oauthError(429, "temporarily_unavailable", "AADSTS90055: Too many failed sign-ins for this client or from this address; retry after the Retry-After seconds.", 90055),
    retryAfterSeconds,
  );
}

function withRetryAfter(response: VaultResponse, seconds: number): VaultResponse {
  response.headers["retry-after"] = String(seconds);
  return response;
}

function grantResponse(result: GrantResult): VaultResponse {
  if (!("error" in result)) return json(result.status, result.body);
  const response = oauthError(result.status ?? 400, result.error, result.description, result.code);
  return result.retryAfterSeconds === undefined ? response : withRetryAfter(response, result.retryAfterSeconds);
}

function json(status: number, body: unknown): VaultResponse {
  return { status, headers: { "content-type": JSON_TYPE, "cache-control": "no-store", "x-ms-request-id": randomUUID() }, body: JSON.stringify(body) };
}

/** Entra's error shape, which MSAL turns into its ServerError with the AADSTS code. */
function oauthError(status: number, error: string, description: string, code: number): VaultResponse {
  const traceId = randomUUID();
  return json(status, {
    error,
    error_description: description,
    error_codes: [code],
    timestamp: new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z"),
    trace_id: traceId,
    correlation_id: traceId,
  });
}
