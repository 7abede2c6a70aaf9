import { ConfigurationError } from "../core/errors.js";
import { variableFor } from "./env-source.js";
import { loadSettings, type LoadOptions } from "./load.js";
import { BUILTIN_LOCAL, normalizeEnvironment, type OrbitraSettings } from "./model.js";
import { localVaultPath } from "./paths.js";
import { parseVaultSpec, type VaultTarget } from "./vault-target.js";

export interface ResolveOptions extends LoadOptions {
  /** An explicit vault (name, URL or local[:PATH]); wins over every settings source. */
  keyVault?: string;
  environment: string;
  /** Already merged settings; loaded from the sources when absent. */
  settings?: OrbitraSettings;
}

/**
 * The vault for one environment. Priority: the explicit `keyVault`, then the merged settings
 * (variables > .env > orbitra.toml > user settings), then the built-in `local` environment.
 */
export function resolveVaultTarget(options: ResolveOptions): VaultTarget {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const environment = normalizeEnvironment(options.environment);
  if (!environment) throw new ConfigurationError("The environment name is empty.");
  const settings = options.settings ?? loadSettings({ cwd, env });
  const entry = settings.environments[environment] ?? {};
  const spec = options.keyVault ?? entry.keyVault;
  const context = {
    environment,
    cwd,
    ...(settings.vaultSuffix ? { vaultSuffix: settings.vaultSuffix } : {}),
    ...(entry.caFile ? { caFile: entry.caFile } : {}),
    ...(entry.tenantId ? { tenantId: entry.tenantId } : {}),
    ...(entry.clientId ? { clientId: entry.clientId } : {}),
  };
  if (spec) return parseVaultSpec(spec, context, localVaultPath(env));
  if (environment === BUILTIN_LOCAL) return { kind: "local", environment, path: localVaultPath(env) };
  const known = availableEnvironments(settings);
  throw new ConfigurationError(
    `No vault is configured for environment '${environment}'. ` +
      `Pass --key-vault NAME, set ${variableFor("KEY_VAULT", environment)}=NAME, ` +
      `or add [environments.${environment}] key_vault = "NAME" to orbitra.toml. ` +
      `Known environments: ${known.join(", ")}.`,
    {},
  );
}

/** Sorted environment names from the merged settings, `local` always among them. */
export function availableEnvironments(settings: OrbitraSettings): string[] {
  return [...new Set([BUILTIN_LOCAL, ...Object.keys(settings.environments)])].sort();
}

/** Names of every environment the settings know, sorted; `local` is always there. */
export function getAvailableEnvironments(options: LoadOptions = {}): string[] {
  return availableEnvironments(loadSettings(options));
}

/**
 * The library's environment when none is given and neither `ORBITRA_ENVIRONMENT` nor
 * `default_environment` names one: `prod`, the Python original's default. The CLI falls back to
 * `local` instead (resolveDefaultEnvironment), so that a first command works with no setup;
 * everything before the fallback is the same rule for both.
 */
export const LIBRARY_DEFAULT_ENVIRONMENT = "prod";

/** An explicit environment, else `ORBITRA_ENVIRONMENT`, then `default_environment`, then `fallback`. */
export function chooseEnvironment(explicit: string | undefined, settings: OrbitraSettings, fallback = LIBRARY_DEFAULT_ENVIRONMENT): string {
  return explicit ?? settings.defaultEnvironment ?? fallback;
}

/** The CLI's default environment: `ORBITRA_ENVIRONMENT`, then `default_environment`, then `local`. */
export function resolveDefaultEnvironment(options: LoadOptions = {}, settings?: OrbitraSettings): string {
  return chooseEnvironment(undefined, settings ?? loadSettings(options), BUILTIN_LOCAL);
}
