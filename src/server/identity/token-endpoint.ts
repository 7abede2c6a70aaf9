import { randomUUID } from "node:crypto";
import type { VaultRequest, VaultResponse } from "../handler.js";
import { createBrowserSignIn } from "./browser-sign-in.js";
import type { IdentityStore } from "./identity-store.js";
import { instanceDiscovery, openIdConfiguration, openIdConfigurationV1 } from "./discovery-documents.js";
import type { StoredPrincipal } from "./identity-store.js";
import type { TokenService } from "./token-service.js";
// Entra (and so MSAL) spell the device-code grant "device_code"; RFC 8628 spells it as a URN.
import { createUserGrants, DEVICE_CODE_GRANT, deviceLoginPage, resourceOf, type GrantResult, type UserGrantOptions } from "./user-grants.js";

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
  secret(clientId: string, secret: string): StoredPrincipal | undefined;
  /** Undefined when certificate credentials are not accepted. */
  assertion?(clientId: string, assertion: string): StoredPrincipal | undefined;
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
  clients: ClientCheck = { secret: (id, secret) => identities.checkClientSecret(id, secret) },
) {
  const managedIdentityToken = managedIdentityTokenWith(tokens, clients);
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
    if (tenant === "devicelogin" && tail === "" && request.method === "GET") {
      const page = deviceLoginPage(identities.deviceCodes.listPending(userOptions.nowSeconds()).length);
      return { status: 200, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }, body: page };
    }
    if (tenant === "msi" && tail === "token" && request.method === "GET") {
      return managedIdentityToken(new URLSearchParams(queryAt === -1 ? "" : request.target.slice(queryAt + 1)), request.header("x-identity-header"), origin);
    }
    const query = () => new URLSearchParams(queryAt === -1 ? "" : request.target.slice(queryAt + 1));
    if (tail === "oauth2/v2.0/authorize" && request.method === "GET") return browser.authorize(query(), origin, tenant);
    if (tail === "oauth2/v2.0/authorize/continue" && request.method === "GET") return browser.continue(query(), `${origin}${request.target}`);
    if (request.method === "GET") {
      if (tail === "v2.0/.well-known/openid-configuration") return json(200, openIdConfiguration(origin));
      if (tail === ".well-known/openid-configuration") return json(200, openIdConfigurationV1(origin));
      if (tenant === "common" && tail === "discovery/instance") return json(200, instanceDiscovery(origin));
    }
    if (tail === "discovery/v2.0/keys" && request.method === "GET") return json(200, tokens.jwks());
    if (tail === "oauth2/v2.0/token" || tail === "oauth2/token" || tail === "oauth2/v2.0/devicecode") {
      if (request.method !== "POST") return oauthError(405, "invalid_request", "AADSTS900561: The endpoint only accepts POST requests.", 900561);
      const answer = tail !== "oauth2/v2.0/devicecode" ? tokenGrant : (form: URLSearchParams, from: string) => grantResponse(users.deviceCode(form, from));
      return request.body.read(FORM_LIMIT).then(
        (bytes) => answer(new URLSearchParams(Buffer.from(bytes).toString("utf8")), origin),
        () => oauthError(400, "invalid_request", "AADSTS900144: The request body is too large or unreadable.", 900144),
      );
    }
    return undefined;
  };

  function tokenGrant(form: URLSearchParams, origin: string): VaultResponse {
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
    const principal = secret ? clients.secret(clientId, secret) : clients.assertion!(clientId, assertion);
    if (!principal) {
      // One answer for an unknown client and a wrong secret: nothing to learn about which ids exist.
      return oauthError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided, or no such application. See 'orbitra vault principal list'.", 7000215);
    }
    // v1 clients (oauth2/token) name a resource rather than a scope.
    const resource = form.get("resource");
    const audience = resourceOf(form.get("scope") ?? (resource ? `${resource.replace(/\/+$/, "")}/.default` : null));
    if (!audience) {
      return oauthError(400, "invalid_scope", "AADSTS1002012: The scope must be a single resource followed by /.default, e.g. https://vault.azure.net/.default.", 1002012);
    }
    const issued = tokens.issue(principal, audience, origin);
    return json(200, { token_type: "Bearer", expires_in: issued.expiresIn, ext_expires_in: issued.expiresIn, access_token: issued.token });
  }
}

/** App Service's managed-identity protocol (api-version 2019-08-01): the secret header identifies the caller. */
function managedIdentityTokenWith(tokens: TokenService, clients: ClientCheck) {
  return (query: URLSearchParams, identityHeader: string | undefined, origin: string): VaultResponse => {
    const clientId = query.get("client_id") ?? "";
    if (!identityHeader || !clientId) {
      return json(400, { statusCode: 400, message: "A user-assigned client_id and the X-IDENTITY-HEADER secret are required: this server has no system-assigned identity." });
    }
    const principal = clients.secret(clientId, identityHeader);
    if (!principal) return json(401, { statusCode: 401, message: "Unknown client_id or wrong X-IDENTITY-HEADER." });
    const resource = (query.get("resource") ?? "").replace(/\/\.default$/, "");
    if (!/^https:\/\/[^\s/]+/.test(resource)) return json(400, { statusCode: 400, message: "resource must be an https URL, e.g. https://vault.azure.net." });
    const issued = tokens.issue(principal, resource, origin);
    return json(200, {
      access_token: issued.token,
      expires_on: String(issued.expiresOn),
      resource,
      token_type: "Bearer",
      client_id: principal.id,
    });
  };
}

function grantResponse(result: GrantResult): VaultResponse {
  return "error" in result ? oauthError(result.status ?? 400, result.error, result.description, result.code) : json(result.status, result.body);
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
