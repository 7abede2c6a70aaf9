import type { Authorizer } from "../auth.js";
import type { VaultRequest, VaultResponse } from "../handler.js";
import type { ServerNames } from "../server-names.js";
import { IdentityStore } from "./identity-store.js";
import { loadSigningKey } from "./signing-key.js";
import { createStrictAuthorizer } from "./strict-authorizer.js";
import { LoginThrottle, type LoginThrottleOptions } from "./login-throttle.js";
import { anyClient, createTokenEndpoint } from "./token-endpoint.js";
import { TokenService } from "./token-service.js";

export interface StrictModeOptions {
  /** Milliseconds since the epoch, for token issue and validation; tests move it. */
  now?: () => number;
  skewSeconds?: number;
  lifetimeSeconds?: number;
  /** Dev mode: approve every device-code sign-in at once as this user (id or name). */
  autoApprove?: string;
  /** Seconds between a device-code client's polls (default 1). */
  pollIntervalSeconds?: number;
  /** Failed client-secret sign-ins allowed per client id and per source (see login-throttle.ts). */
  throttle?: Pick<LoginThrottleOptions, "perClient" | "perSource">;
  /**
   * Open mode's identity endpoints (behind `--proxy`): any client id and secret or assertion get a
   * token, and user sign-ins (device code, browser) are approved at once as {@link OPEN_MODE_USER}.
   */
  anyClient?: boolean;
}

export interface StrictMode {
  authorize: Authorizer;
  /** The identity endpoints alone: a response, or undefined for a path that is not one of theirs. */
  route(request: VaultRequest): VaultResponse | Promise<VaultResponse> | undefined;
  tokens: TokenService;
  identities: IdentityStore;
  close(): void;
}

/** Who a device-code or browser sign-in is in open mode, where nobody approves them: one user, made on first use. */
export const OPEN_MODE_USER = "open-mode-user";

function openModeUser(identities: IdentityStore) {
  return identities.listPrincipals().find((p) => p.kind === "user" && p.name === OPEN_MODE_USER) ?? identities.addPrincipal(OPEN_MODE_USER, "user").principal;
}

/** `orbitra vault serve --auth strict`: the signing key and identity store of `dataDir`, the token endpoint and the RBAC authorizer. */
export function openStrictMode(dataDir: string, options: StrictModeOptions = {}, names?: ServerNames): StrictMode {
  const key = loadSigningKey(dataDir);
  const identities = IdentityStore.open(dataDir);
  const tokens = new TokenService({
    key,
    ...(names ? { acceptsAudience: (audience: string) => names.acceptsAudience(audience) } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.skewSeconds !== undefined ? { skewSeconds: options.skewSeconds } : {}),
    ...(options.lifetimeSeconds !== undefined ? { lifetimeSeconds: options.lifetimeSeconds } : {}),
  });
  let autoApprove;
  try {
    autoApprove =
      options.autoApprove !== undefined ? identities.resolveUser(options.autoApprove) : options.anyClient ? openModeUser(identities) : undefined;
  } catch (error) {
    identities.close();
    throw error;
  }
  const now = options.now ?? Date.now;
  const route = createTokenEndpoint(
    tokens,
    identities,
    {
      nowSeconds: () => Math.floor(now() / 1000),
      ...(autoApprove ? { autoApprove } : {}),
      ...(options.pollIntervalSeconds !== undefined ? { pollIntervalSeconds: options.pollIntervalSeconds } : {}),
    },
    { throttle: new LoginThrottle({ now, ...options.throttle }), ...(options.anyClient ? { clients: anyClient } : {}) },
  );
  return {
    authorize: createStrictAuthorizer(tokens, identities),
    route,
    tokens,
    identities,
    close: () => identities.close(),
  };
}
