import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";

/** Refresh this long before expiry, as the SDK's own token cycler does (2 min) plus a margin. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * Keeps each scope's token until shortly before it expires. AzureCliCredential spawns `az` for
 * every getToken (seconds each); the SDK asks once per client, and a CLI run builds several.
 * Concurrent requests for one scope share one call.
 */
export function cachingCredential(inner: TokenCredential, now: () => number = Date.now): TokenCredential {
  const cache = new Map<string, AccessToken>();
  const pending = new Map<string, Promise<AccessToken | null>>();
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const key = `${options?.tenantId ?? ""}|${options?.claims ?? ""}|${([] as string[]).concat(scopes).join(" ")}`;
      const hit = cache.get(key);
      if (hit && hit.expiresOnTimestamp - REFRESH_MARGIN_MS > now()) return hit;
      const inFlight = pending.get(key);
      if (inFlight) return inFlight;
      const call = inner.getToken(scopes, options).then(
        (token) => {
          pending.delete(key);
          if (token) cache.set(key, token);
          return token;
        },
        (error: unknown) => {
          pending.delete(key);
          throw error;
        },
      );
      pending.set(key, call);
      return call;
    },
  };
}
