import type { TokenCredential } from "@azure/core-auth";
import { openBackend } from "../backends/open-backend.js";
import type { SecretCache, SecretCacheOptions } from "./cache.js";
import { OrbitraSecretsClient } from "./secrets-client.js";
import { clientOptionsOf, openOptionsOf, targetOf, type ClientTargetOptions } from "./target-of.js";

/** Where the client's vault is (see {@link ClientTargetOptions}), and the secrets' own options. */
export interface GetSecretsClientOptions extends ClientTargetOptions {
  /**
   * Opt-in read cache: `{ ttlMs, maxEntries, staleIfErrorMs }` (or `true` for 60 s / 1,000 /
   * no stale). Dropped on this client's own writes and deletes; see `SecretCache`.
   */
  cache?: SecretCache | SecretCacheOptions | boolean;
}

/**
 * Builds the client for the vault of an environment.
 *
 * ```ts
 * const client = getSecretsClient({ environment: "local" });
 * await client.writeSecret("db-password", secretFromSomewhere);
 * const value = await client.getSecret("db-password"); // SecretStr | null
 * ```
 *
 * Resolution: `keyVault` if given, else the environment's settings (variables, `.env`,
 * `orbitra.toml`, user settings), else the built-in `local` environment for `local`.
 * Throws `ConfigurationError` when no vault can be resolved, naming the ways to fix it.
 * Synchronous: nothing is opened until the first call on the client.
 */
export function getSecretsClient(options?: GetSecretsClientOptions): OrbitraSecretsClient;
export function getSecretsClient(keyVault?: string, environment?: string, credential?: TokenCredential): OrbitraSecretsClient;
export function getSecretsClient(
  first?: string | GetSecretsClientOptions,
  environment?: string,
  credential?: TokenCredential,
): OrbitraSecretsClient {
  const options = clientOptionsOf<GetSecretsClientOptions>(first, environment, credential);
  const target = targetOf(options);
  return new OrbitraSecretsClient(
    target,
    () => openBackend(target, openOptionsOf(options)),
    options.cache === undefined ? {} : { cache: options.cache },
  );
}
