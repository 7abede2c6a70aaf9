import type { TokenCredential } from "@azure/core-auth";
import { openBackend } from "../backends/open-backend.js";
import type { OrbitraSettings } from "../settings/model.js";
import { loadSettings } from "../settings/load.js";
import { chooseEnvironment, resolveVaultTarget } from "../settings/resolve.js";
import type { SecretCache, SecretCacheOptions } from "./cache.js";
import { OrbitraSecretsClient } from "./secrets-client.js";

export interface GetSecretsClientOptions {
  /** A vault name, an `https://` vault URL, or `local` / `local:PATH`. Wins over settings. */
  keyVault?: string;
  /**
   * The environment whose settings name the vault. Default: `ORBITRA_ENVIRONMENT`, then the
   * settings' `default_environment` (as the CLI), then `prod` as in the Python original.
   */
  environment?: string;
  /** The Azure credential to use; by default the environment's credential chain. */
  credential?: TokenCredential;
  /** Folder to look for `.env` and `orbitra.toml` from; default `process.cwd()`. */
  cwd?: string;
  /** Variables to read settings from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Settings already loaded and merged (`loadSettings`), so a caller that read them once need not again. */
  settings?: OrbitraSettings;
  /**
   * Opt-in read cache: `{ ttlMs, maxEntries, staleIfErrorMs }` (or `true` for 60 s / 1,000 /
   * no stale). Dropped on this client's own writes and deletes; see `SecretCache`.
   */
  cache?: SecretCache | SecretCacheOptions | boolean;
  /**
   * A `local:PATH` vault that does not exist yet is created by the first write only; a read of it
   * is a Configuration error naming the path (a typo must not make a new vault). True: any first
   * use creates it, for callers about to write into it (import, copy).
   */
  createLocalVault?: boolean;
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
  const options: GetSecretsClientOptions =
    typeof first === "object" && first !== null
      ? first
      : {
          ...(first !== undefined ? { keyVault: first } : {}),
          ...(environment !== undefined ? { environment } : {}),
          ...(credential !== undefined ? { credential } : {}),
        };
  const where = {
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
  };
  const settings = options.settings ?? loadSettings(where);
  const target = resolveVaultTarget({
    environment: chooseEnvironment(options.environment, settings),
    ...(options.keyVault !== undefined ? { keyVault: options.keyVault } : {}),
    ...where,
    settings,
  });
  return new OrbitraSecretsClient(
    target,
    () =>
      openBackend(target, {
        ...(options.credential ? { credential: options.credential } : {}),
        ...(options.env ? { env: options.env } : {}),
        ...(options.createLocalVault ? { createLocalVault: true } : {}),
      }),
    options.cache === undefined ? {} : { cache: options.cache },
  );
}
