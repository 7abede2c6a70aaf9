import type { TokenCredential } from "@azure/core-auth";
import type { OpenBackendOptions } from "../backends/open-backend.js";
import { loadSettings } from "../settings/load.js";
import type { OrbitraSettings } from "../settings/model.js";
import { chooseEnvironment, resolveVaultTarget } from "../settings/resolve.js";
import type { VaultTarget } from "../settings/vault-target.js";

/** Which vault a client talks to and how it gets in: the same for every kind's client. */
export interface ClientTargetOptions {
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
   * A `local:PATH` vault that does not exist yet is created by the first write only; a read of it
   * is a Configuration error naming the path (a typo must not make a new vault). True: any first
   * use creates it, for callers about to write into it (import, copy).
   */
  createLocalVault?: boolean;
}

/**
 * The vault the options name: `keyVault` if given, else the environment's settings (variables,
 * `.env`, `orbitra.toml`, user settings), else the built-in `local` environment for `local`.
 * Throws `ConfigurationError` when none can be resolved.
 */
export function targetOf(options: ClientTargetOptions): VaultTarget {
  const where = {
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
  };
  const settings = options.settings ?? loadSettings(where);
  return resolveVaultTarget({
    environment: chooseEnvironment(options.environment, settings),
    ...(options.keyVault !== undefined ? { keyVault: options.keyVault } : {}),
    ...where,
    settings,
  });
}

/** What opening the target needs of the options (the credential, the variables, creation). */
export function openOptionsOf(options: ClientTargetOptions): OpenBackendOptions {
  return {
    ...(options.credential ? { credential: options.credential } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.createLocalVault ? { createLocalVault: true } : {}),
  };
}

/** The options object of a `getXClient(options)` call, or of its positional form `(keyVault, environment, credential)`. */
export function clientOptionsOf<T extends ClientTargetOptions>(first: string | T | undefined, environment?: string, credential?: TokenCredential): T {
  if (typeof first === "object" && first !== null) return first;
  return {
    ...(first !== undefined ? { keyVault: first } : {}),
    ...(environment !== undefined ? { environment } : {}),
    ...(credential !== undefined ? { credential } : {}),
  } as T;
}
