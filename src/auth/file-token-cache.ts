import { mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import type { IdentityPlugin } from "@azure/identity";
import { writeFileAtomically } from "../core/atomic-file.js";
import { ConfigurationError } from "../core/errors.js";

/** The parts of MSAL's cache plugin contract used here (ICachePlugin / TokenCacheContext). */
interface CacheContext {
  cacheHasChanged: boolean;
  tokenCache: { serialize(): string; deserialize(cache: string): void };
}
interface CachePlugin {
  beforeCacheAccess(context: CacheContext): Promise<void>;
  afterCacheAccess(context: CacheContext): Promise<void>;
}
interface PluginContext {
  cachePluginControl: { setPersistence(factory: (options?: { name?: string }) => Promise<CachePlugin>): void };
}

/**
 * The persistent token cache behind `orbitra login`: MSAL's serialized cache in a 0600 file,
 * `<name>.cae|nocae` where `name` is the path tokenCacheName() gives. @azure/identity's own
 * persistence (`@azure/identity-cache-persistence`) needs a native keyring module (libsecret on
 * Linux, no prebuilt for every platform) and falls back to a plain file anyway where there is no
 * keyring; this is that file, with no native build. Like the Azure CLI's msal_token_cache.json on
 * Linux, it is protected by its permissions, not encrypted.
 *
 * Each access re-reads the file, so two processes see each other's refreshes; writes are atomic
 * (rename), so a reader never sees half a cache. Two processes refreshing at the same instant:
 * the last write wins and the other's refresh token is dropped, which only costs a refresh.
 */
export const fileTokenCachePlugin: IdentityPlugin = (context) => {
  (context as PluginContext).cachePluginControl.setPersistence(async (options) => {
    const file = options?.name;
    if (!file || !file.startsWith("/") && !/^[A-Za-z]:[\\/]/.test(file)) {
      throw new ConfigurationError("orbitra's token cache needs an absolute path as tokenCachePersistenceOptions.name.");
    }
    return fileCachePlugin(`${file}.json`);
  });
};

export function fileCachePlugin(file: string): CachePlugin {
  return {
    async beforeCacheAccess(context) {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch {
        return; // no cache yet
      }
      try {
        context.tokenCache.deserialize(text);
      } catch {
        // A damaged cache is an empty one: the user signs in again.
      }
    },
    async afterCacheAccess(context) {
      if (!context.cacheHasChanged) return;
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      writeFileAtomically(file, context.tokenCache.serialize(), 0o600);
    },
  };
}
