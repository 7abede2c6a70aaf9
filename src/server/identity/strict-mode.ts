import type { Authorizer } from "../auth.js";
import type { VaultHandler } from "../handler.js";
import type { ServerNames } from "../server-names.js";
import { IdentityStore } from "./identity-store.js";
import { loadSigningKey } from "./signing-key.js";
import { createStrictAuthorizer } from "./strict-authorizer.js";
import { LoginThrottle, type LoginThrottleOptions } from "./login-throttle.js";
import { createTokenEndpoint } from "./token-endpoint.js";
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
}

export interface StrictMode {
  authorize: Authorizer;
  /** Puts the identity endpoints in front of a vault handler on the same port. */
  wrap(handler: VaultHandler): VaultHandler;
  tokens: TokenService;
  identities: IdentityStore;
  close(): void;
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
    autoApprove = options.autoApprove === undefined ? undefined : identities.resolveUser(options.autoApprove);
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
    new LoginThrottle({ now, ...options.throttle }),
  );
  return {
    authorize: createStrictAuthorizer(tokens, identities),
    wrap: (handler) => (request) => route(request) ?? handler(request),
    tokens,
    identities,
    close: () => identities.close(),
  };
}
