import { randomUUID } from "node:crypto";
import type { VaultRequest, VaultResponse } from "../handler.js";
import { SERVER_TENANT } from "../identity/token-service.js";

/** The one subscription this server pretends to have: a fixed id, so `az account set` and scripts can name it. */
export const LOCAL_SUBSCRIPTION_ID = "0f0f0f0f-0000-4000-8000-000000000001";
const DISPLAY_NAME = "orbitra local";
const BEARER = /^Bearer[ \t]+\S+$/i;

/**
 * The sliver of Azure Resource Manager that `az login --service-principal` reads: `GET
 * /subscriptions` (and one by id) and `GET /tenants`, each answering the one local subscription and
 * tenant. A bearer token must be present, as on ARM; it is not validated (ARM resources hold no
 * secrets here). Everything else is ARM's 404, so a tool that wants more says so plainly.
 */
export function armRoute(request: VaultRequest): VaultResponse {
  if (!BEARER.test(request.header("authorization") ?? "")) {
    return armJson(
      401,
      { error: { code: "AuthenticationFailed", message: "Authentication failed. The 'Authorization' header is missing." } },
      { "www-authenticate": `Bearer authorization_uri="https://login.microsoftonline.com/${SERVER_TENANT}", error="invalid_token", error_description="The authentication failed because of missing 'Authorization' header."` },
    );
  }
  const path = request.target.split("?")[0]!.replace(/\/+$/, "").toLowerCase();
  if (request.method === "GET") {
    if (path === "/subscriptions") return armJson(200, { value: [subscription()], count: { type: "Total", value: 1 } });
    if (path === `/subscriptions/${LOCAL_SUBSCRIPTION_ID}`) return armJson(200, subscription());
    if (path === "/tenants") return armJson(200, { value: [tenant()], count: { type: "Total", value: 1 } });
    if (path.startsWith("/subscriptions/") && path.split("/").length === 3) {
      return armJson(404, { error: { code: "SubscriptionNotFound", message: `The subscription '${path.slice(15, 60)}' could not be found.` } });
    }
  }
  return armJson(404, {
    error: {
      code: "NotFound",
      message: "orbitra vault serve answers only GET /subscriptions and GET /tenants of Azure Resource Manager (what 'az login' reads).",
    },
  });
}

function subscription(): Record<string, unknown> {
  return {
    id: `/subscriptions/${LOCAL_SUBSCRIPTION_ID}`,
    authorizationSource: "RoleBased",
    managedByTenants: [],
    subscriptionId: LOCAL_SUBSCRIPTION_ID,
    tenantId: SERVER_TENANT,
    displayName: DISPLAY_NAME,
    state: "Enabled",
    subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "PayAsYouGo_2014-09-01", spendingLimit: "Off" },
  };
}

function tenant(): Record<string, unknown> {
  return {
    id: `/tenants/${SERVER_TENANT}`,
    tenantId: SERVER_TENANT,
    countryCode: "ZZ",
    displayName: DISPLAY_NAME,
    domains: ["orbitra.local"],
    tenantCategory: "Home",
    defaultDomain: "orbitra.local",
    tenantType: "AAD",
  };
}

function armJson(status: number, body: unknown, headers: Record<string, string> = {}): VaultResponse {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "x-ms-request-id": randomUUID(), "cache-control": "no-cache", ...headers },
    body: JSON.stringify(body),
  };
}
