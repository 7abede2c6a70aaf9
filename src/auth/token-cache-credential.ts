import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { writeFileAtomically } from "../core/atomic-file.js";

/** Refresh this long before expiry, as the SDK's own token cycler does (2 min) plus a margin. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** Where tokens outlive the process: one JSON file of `key -> token`, 0600. */
export interface TokenStore {
  load(key: string): AccessToken | undefined;
  save(key: string, token: AccessToken): void;
}

/**
 * Keeps each scope's token until shortly before it expires. AzureCliCredential spawns `az` for
 * every getToken (a second or more each); the SDK asks once per client, a CLI run builds several,
 * and a script runs the CLI many times: with a {@link TokenStore} the token also outlives the
 * process, so `az` runs about once an hour. Concurrent requests for one scope share one call.
 */
export function cachingCredential(inner: TokenCredential, now: () => number = Date.now, store?: TokenStore): TokenCredential {
  const cache = new Map<string, AccessToken>();
  const pending = new Map<string, Promise<AccessToken | null>>();
  const fresh = (token: AccessToken | undefined): token is AccessToken => token !== undefined && token.expiresOnTimestamp - REFRESH_MARGIN_MS > now();
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const key = `${options?.tenantId ?? ""}|${options?.claims ?? ""}|${([] as string[]).concat(scopes).join(" ")}`;
      const hit = cache.get(key);
      if (fresh(hit)) return hit;
      // A claims challenge asks for a new token on purpose: never answer it from the file.
      const stored = options?.claims ? undefined : store?.load(key);
      if (fresh(stored)) {
        cache.set(key, stored);
        return stored;
      }
      const inFlight = pending.get(key);
      if (inFlight) return inFlight;
      const call = inner.getToken(scopes, options).then(
        (token) => {
          pending.delete(key);
          if (token) {
            cache.set(key, token);
            if (!options?.claims) store?.save(key, { token: token.token, expiresOnTimestamp: token.expiresOnTimestamp });
          }
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

/**
 * A {@link TokenStore} in one file. Unreadable or damaged means empty (the credential is asked
 * again); expired entries are dropped on each save. Like the Azure CLI's own token cache on Linux,
 * the file is protected by its 0600 mode, not encrypted.
 */
export function fileTokenStore(file: string, now: () => number = Date.now): TokenStore {
  const read = (): Record<string, AccessToken> => {
    try {
      const parsed = JSON.parse(readFileSync(file, "utf8")) as unknown;
      return parsed && typeof parsed === "object" ? (parsed as Record<string, AccessToken>) : {};
    } catch {
      return {};
    }
  };
  return {
    load(key) {
      const entry = read()[key];
      return entry && typeof entry.token === "string" && typeof entry.expiresOnTimestamp === "number" ? entry : undefined;
    },
    save(key, token) {
      const entries = read();
      for (const [k, t] of Object.entries(entries)) if (!(t?.expiresOnTimestamp > now())) delete entries[k];
      entries[key] = token;
      try {
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
        writeFileAtomically(file, JSON.stringify(entries), 0o600);
      } catch {
        // Not being able to keep the token costs the next run an `az` call, nothing more.
      }
    },
  };
}
