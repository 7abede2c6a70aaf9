import type { IdentityStore, StoredPrincipal } from "./identity-store.js";
import type { TokenService } from "./token-service.js";

/** An Entra-shaped OAuth error; with `retryAfterSeconds` it is a 429 that says when to come back. */
export interface GrantError {
  error: string;
  description: string;
  code: number;
  status?: number;
  retryAfterSeconds?: number;
}

/** What a grant answers: a JSON body and its status, or an Entra-shaped OAuth error. */
export type GrantResult = { status: number; body: Record<string, unknown> } | GrantError;

export interface UserGrantOptions {
  tokens: TokenService;
  identities: IdentityStore;
  /** Seconds since the epoch. */
  nowSeconds: () => number;
  /** Dev mode: every device-code sign-in is approved at once as this user. */
  autoApprove?: StoredPrincipal;
  /** How often clients poll, in seconds. Entra says 5; a local server can afford 1, which keeps logins snappy. */
  pollIntervalSeconds?: number;
}

/** A public client id as MSAL sends it: a GUID or a short name. Never a URL, so an ID token's audience can never pass for a vault's. */
const CLIENT_ID = /^[A-Za-z0-9._-]{1,64}$/;
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access"]);
export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

/**
 * The user sign-in grants of the local identity provider: the device-code flow of RFC 8628 as
 * Entra words it (so @azure/identity's DeviceCodeCredential runs unmodified), and refresh tokens,
 * which MSAL redeems silently when an access token nears expiry. A sign-in is approved by
 * `orbitra vault device approve CODE --user NAME`, or at once in the dev mode `--auto-approve`.
 */
export function createUserGrants(options: UserGrantOptions) {
  const { tokens, identities } = options;
  const interval = options.pollIntervalSeconds ?? 1;

  return {
    /** POST {tenant}/oauth2/v2.0/devicecode */
    deviceCode(form: URLSearchParams, origin: string, source?: string): GrantResult {
      const clientId = form.get("client_id") ?? "";
      if (!CLIENT_ID.test(clientId)) return { error: "invalid_request", description: "AADSTS900144: The request body must contain a valid client_id.", code: 900144 };
      const resource = grantResource(form.get("scope"), tokens);
      if (typeof resource !== "string") return resource;
      const issued = identities.deviceCodes.issue(clientId, resource, options.nowSeconds(), undefined, source);
      if ("limited" in issued) return tooManyPending(issued.retryAfterSeconds);
      if (options.autoApprove) identities.deviceCodes.decide(issued.userCode, { approveAs: options.autoApprove.id }, options.nowSeconds());
      const verificationUri = `${origin}/devicelogin`;
      return {
        status: 200,
        body: {
          device_code: issued.deviceCode,
          user_code: issued.userCode,
          verification_uri: verificationUri,
          expires_in: issued.expiresIn,
          interval,
          message: options.autoApprove
            ? `Code ${issued.userCode}: this server approves every sign-in as '${options.autoApprove.name}' (development mode, --auto-approve).`
            : `To sign in, have the vault's administrator run 'orbitra vault device approve ${issued.userCode} --user <name>' (or open ${verificationUri}).`,
        },
      };
    },

    /** grant_type=urn:ietf:params:oauth:grant-type:device_code */
    redeemDeviceCode(form: URLSearchParams, origin: string): GrantResult {
      const clientId = form.get("client_id") ?? "";
      const poll = identities.deviceCodes.poll(form.get("device_code") ?? "", clientId, options.nowSeconds(), (browser) => browser === undefined);
      switch (poll.state) {
        case "pending":
          return { error: "authorization_pending", description: "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.", code: 70016 };
        case "expired":
          return { error: "expired_token", description: "AADSTS70020: The provided value for the input parameter 'device_code' is expired. Start the sign-in again.", code: 70020 };
        case "denied":
          return { error: "authorization_declined", description: "AADSTS70000: The sign-in was denied by the vault's administrator.", code: 70000 };
        case "unknown":
          return { error: "invalid_grant", description: "AADSTS70000: The device code is unknown, already used, or was issued to another client.", code: 70000 };
        case "approved": {
          const user = identities.getPrincipal(poll.principalId);
          if (!user) return { error: "invalid_grant", description: "AADSTS50034: The approving user no longer exists.", code: 50034 };
          return { status: 200, body: { ...tokens.issueUser(user, poll.scope, origin, clientId) } };
        }
      }
    },

    /**
     * RFC 7009 revocation of a refresh token (`token`, `client_id`), for `orbitra logout`. Always
     * 200, as the RFC says, so the answer tells nobody whether a token was good.
     */
    revoke(form: URLSearchParams): GrantResult {
      const check = tokens.checkRefreshToken(form.get("token") ?? "", form.get("client_id") ?? "");
      if (check.ok) identities.revokeRefreshToken(check.tokenId, check.expiresAt);
      return { status: 200, body: {} };
    },

    /** grant_type=refresh_token: a new access token (any resource) and a rotated refresh token. */
    redeemRefreshToken(form: URLSearchParams, origin: string): GrantResult {
      const clientId = form.get("client_id") ?? "";
      const check = tokens.checkRefreshToken(form.get("refresh_token") ?? "", clientId);
      if (!check.ok) return { error: "invalid_grant", description: `AADSTS700082: ${check.reason} Sign in again with 'orbitra login'.`, code: 700082 };
      const user = identities.getPrincipal(check.principalId);
      if (!user || user.kind !== "user") {
        return { error: "invalid_grant", description: "AADSTS50034: The signed-in user no longer exists. Sign in again with 'orbitra login'.", code: 50034 };
      }
      const resource = grantResource(form.get("scope"), tokens);
      if (typeof resource !== "string") return resource;
      if (!identities.spendRefreshToken(check.tokenId, check.expiresAt, options.nowSeconds())) {
        return {
          error: "invalid_grant",
          description: "AADSTS70008: The refresh token was replaced by a newer one (each use replaces it) or was revoked. Sign in again with 'orbitra login'.",
          code: 70008,
        };
      }
      return { status: 200, body: { ...tokens.issueUser(user, resource, origin, clientId) } };
    },
  };
}

function invalidScope(): GrantError {
  return { error: "invalid_scope", description: "AADSTS1002012: The scope must be a single resource followed by /.default, e.g. https://vault.azure.net/.default.", code: 1002012 };
}

/**
 * The resource a scope asks a token for, if this server issues tokens for it (Key Vault's
 * resource, or one of the server's own names: see server-names.ts); else Entra's answer for a
 * resource it does not know. A token for any other audience would be one no vault here accepts,
 * or worse, one that a vault would accept if it trusted the Host header.
 */
export function grantResource(scope: string | null, tokens: TokenService): string | GrantError {
  const resource = resourceOf(scope);
  if (!resource) return invalidScope();
  if (tokens.acceptsAudience(resource)) return resource;
  return {
    error: "invalid_resource",
    description: `AADSTS500011: The resource principal named ${resource.slice(0, 120)} was not found in this server. Ask for https://vault.azure.net/.default, or the server's own URL.`,
    code: 500011,
  };
}

/** The bound on pending sign-ins (device-codes.ts) is reached. */
export function tooManyPending(retryAfterSeconds: number): GrantError {
  return {
    error: "temporarily_unavailable",
    description: "AADSTS90055: Too many sign-ins are waiting for approval; try again later.",
    code: 90055,
    status: 429,
    retryAfterSeconds,
  };
}

/** `https://vault.azure.net/.default` -> `https://vault.azure.net`; anything else (several scopes, no /.default) -> undefined. */
export function resourceOf(scope: string | null): string | undefined {
  // MSAL appends the OIDC scopes it always asks for; only the resource's /.default matters here.
  const scopes = (scope ?? "").split(" ").filter((s) => s && !OIDC_SCOPES.has(s));
  if (scopes.length !== 1 || !scopes[0]!.endsWith("/.default")) return undefined;
  const resource = scopes[0]!.slice(0, -"/.default".length);
  return /^https:\/\/[^\s/]+(\/[^\s]*)?$/.test(resource) ? resource : undefined;
}

/** The page a device-code prompt points at: this server has no sign-in form, so it says how approval works. */
export function deviceLoginPage(pending: number): string {
  return (
    "orbitra local vault: device sign-in\n\n" +
    "This server signs users in when its administrator approves the code shown by 'orbitra login':\n\n" +
    "  orbitra vault device list                          (pending codes)\n" +
    "  orbitra vault device approve CODE --user NAME      (NAME: a principal added with --kind user)\n" +
    "  orbitra vault device deny CODE\n\n" +
    "Or start the server with --auto-approve NAME to approve every sign-in as NAME (development only).\n\n" +
    `Pending sign-ins now: ${pending}\n`
  );
}
