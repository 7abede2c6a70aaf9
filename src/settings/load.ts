import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ConfigurationError } from "../core/errors.js";
import { settingsFromVariables } from "./env-source.js";
import { lazyRequire } from "./lazy-require.js";
import type { EnvironmentSettings, OrbitraSettings, SettingsLayer } from "./model.js";
import { orbitraHome, resolveFrom } from "./paths.js";
import { orgSettingsLayer } from "./org-source.js";
import { settingsFromToml } from "./toml-source.js";

export interface LoadOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** `orbitra.toml` in `cwd` or the nearest folder above it. */
export function findProjectFile(cwd: string): string | undefined {
  let dir = cwd;
  for (;;) {
    const candidate = join(dir, "orbitra.toml");
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Every source that exists, highest priority first: variables, `.env`, `orbitra.toml`, user settings, organisation settings. */
export function loadLayers(options: LoadOptions = {}): SettingsLayer[] {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const layers: SettingsLayer[] = [
    { source: "environment variables", baseDir: cwd, settings: settingsFromVariables(env, "environment variables") },
  ];
  const dotenvFile = join(cwd, ".env");
  if (existsSync(dotenvFile)) {
    const { parse } = lazyRequire("dotenv") as typeof import("dotenv");
    let vars: Record<string, string>;
    try {
      vars = parse(readFileSync(dotenvFile));
    } catch (error) {
      throw new ConfigurationError(`Cannot read ${dotenvFile}: ${(error as Error).message}.`);
    }
    layers.push({ source: dotenvFile, baseDir: cwd, settings: settingsFromVariables(vars, dotenvFile) });
  }
  const projectFile = findProjectFile(cwd);
  if (projectFile) {
    const settings = settingsFromToml(projectFile);
    if (settings.orgSettings !== undefined) {
      throw new ConfigurationError(`${projectFile} sets org_settings: only $ORBITRA_HOME/settings.toml or ORBITRA_ORG_SETTINGS may, since a cloned project must not choose what is loaded.`);
    }
    layers.push({ source: projectFile, baseDir: dirname(projectFile), settings });
  }
  const home = orbitraHome(env);
  const userFile = join(home, "settings.toml");
  let orgSpec = env.ORBITRA_ORG_SETTINGS || undefined;
  if (existsSync(userFile)) {
    const settings = settingsFromToml(userFile);
    orgSpec ??= settings.orgSettings;
    layers.push({ source: userFile, baseDir: home, settings });
  }
  const org = orgSpec ? orgSettingsLayer(orgSpec, cwd, env) : undefined;
  if (org) layers.push(org);
  return layers.map(resolvePaths);
}

/** Merges layers field by field: for each setting, the highest-priority source that sets it wins. */
export function mergeLayers(layers: readonly SettingsLayer[]): OrbitraSettings {
  const merged: OrbitraSettings = { environments: {} };
  const warnings = layers.flatMap((layer) => layer.settings.warnings ?? []);
  if (warnings.length) merged.warnings = warnings;
  for (const { settings } of [...layers].reverse()) {
    if (settings.defaultEnvironment !== undefined) merged.defaultEnvironment = settings.defaultEnvironment;
    if (settings.vaultSuffix !== undefined) merged.vaultSuffix = settings.vaultSuffix;
    for (const [name, entry] of Object.entries(settings.environments)) {
      const target = (merged.environments[name] ??= {});
      mergeEnvironment(target, entry);
    }
  }
  return merged;
}

export function loadSettings(options: LoadOptions = {}): OrbitraSettings {
  return mergeLayers(loadLayers(options));
}

function mergeEnvironment(target: EnvironmentSettings, entry: EnvironmentSettings): void {
  // The vault and its CA travel together: a higher source that names another vault must not
  // inherit a CA file meant for the lower source's vault.
  if (entry.keyVault !== undefined) {
    target.keyVault = entry.keyVault;
    target.source = entry.source;
    delete target.caFile;
  }
  if (entry.caFile !== undefined) target.caFile = entry.caFile;
  if (entry.tenantId !== undefined) target.tenantId = entry.tenantId;
  if (entry.clientId !== undefined) target.clientId = entry.clientId;
}

function resolvePaths(layer: SettingsLayer): SettingsLayer {
  for (const entry of Object.values(layer.settings.environments)) {
    if (entry.caFile) entry.caFile = resolveFrom(layer.baseDir, entry.caFile);
    if (entry.keyVault?.startsWith("local:")) {
      entry.keyVault = `local:${resolveFrom(layer.baseDir, entry.keyVault.slice("local:".length))}`;
    }
  }
  return layer;
}
