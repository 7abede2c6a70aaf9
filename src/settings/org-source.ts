import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join } from "node:path";
import { writeFileAtomically } from "../core/atomic-file.js";
import { ConfigurationError, UnavailableError } from "../core/errors.js";
import type { SettingsLayer } from "./model.js";
import { expandHome, orbitraHome, resolveFrom } from "./paths.js";
import { parseToml, settingsFromDocument, settingsFromToml } from "./toml-source.js";

/**
 * The organisation's settings: the lowest-priority source, so that a company can publish its
 * environments (vault names, tenants, clients) once and every project and person overrides what
 * they must. Named by `ORBITRA_ORG_SETTINGS` or `org_settings` in `$ORBITRA_HOME/settings.toml`
 * (never by a project's orbitra.toml: a cloned repository must not choose what code runs), as:
 *
 *   /path/to/org.toml | org.json      a file (a path relative to $ORBITRA_HOME)
 *   https://example.com/orbitra.toml  a URL; `orbitra env sync` downloads it to $ORBITRA_HOME/cache,
 *                                     and settings read that copy (no network on every command)
 *   npm:@acme/orbitra-settings        an installed package whose main is JSON or CommonJS exporting
 *                                     the same shape (resolved from the working directory)
 *
 * The shape is orbitra.toml's: `default_environment`, `vault_suffix`, `[environments.NAME]`.
 */
export function orgSettingsLayer(spec: string, cwd: string, env: NodeJS.ProcessEnv): SettingsLayer | undefined {
  const home = orbitraHome(env);
  if (/^https:\/\//i.test(spec)) {
    const cached = orgCacheFile(env);
    if (!existsSync(cached)) return undefined; // not synced yet: `orbitra env list` says so
    return { source: `${spec} (copy of ${cached})`, baseDir: home, settings: settingsFromDocument(parseToml(readFileSync(cached, "utf8"), spec), spec) };
  }
  if (spec.startsWith("npm:")) return packageLayer(spec.slice(4), cwd);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) throw new ConfigurationError(`Organisation settings '${spec.slice(0, 80)}': only https:// URLs, files and npm:PACKAGE are supported.`);
  const file = resolveFrom(home, expandHome(spec));
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigurationError(`Cannot read the organisation settings ${file} (${(error as NodeJS.ErrnoException).code ?? "error"}): fix ORBITRA_ORG_SETTINGS or org_settings in ${join(home, "settings.toml")}.`);
  }
  const doc = extname(file).toLowerCase() === ".json" ? parseJson(text, file) : parseToml(text, file);
  return { source: file, baseDir: dirname(file), settings: settingsFromDocument(doc, file) };
}

/** What names the organisation settings: ORBITRA_ORG_SETTINGS, else org_settings in the user settings. */
export function orgSettingsSpec(env: NodeJS.ProcessEnv): string | undefined {
  if (env.ORBITRA_ORG_SETTINGS) return env.ORBITRA_ORG_SETTINGS;
  const userFile = join(orbitraHome(env), "settings.toml");
  return existsSync(userFile) ? settingsFromToml(userFile).orgSettings : undefined;
}

/** Where `orbitra env sync` keeps the downloaded organisation settings. */
export function orgCacheFile(env: NodeJS.ProcessEnv): string {
  return join(orbitraHome(env), "cache", "org-settings.toml");
}

function packageLayer(name: string, cwd: string): SettingsLayer {
  const require = createRequire(join(cwd, "orbitra-settings.cjs"));
  let file: string;
  let loaded: unknown;
  try {
    file = require.resolve(name);
    loaded = require(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ERR_REQUIRE_ESM" ? "it is an ES module; publish the settings as JSON or CommonJS" : code === "MODULE_NOT_FOUND" ? "it is not installed here" : (error as Error).message.split("\n")[0];
    throw new ConfigurationError(`Cannot load the organisation settings package '${name}': ${why}.`);
  }
  const doc = (loaded as { default?: unknown } | null)?.default ?? loaded;
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new ConfigurationError(`The organisation settings package '${name}' must export an object shaped like orbitra.toml.`);
  }
  return { source: `npm:${name} (${file})`, baseDir: dirname(file), settings: settingsFromDocument(doc as Record<string, unknown>, `npm:${name}`) };
}

function parseJson(text: string, file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`Cannot read settings file ${file}: ${(error as Error).message}.`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new ConfigurationError(`Settings file ${file} must hold a JSON object.`);
  return doc as Record<string, unknown>;
}

/**
 * `orbitra env sync`: downloads the organisation's settings URL, checks that it parses as
 * settings, and replaces the cached copy atomically; a failure leaves the previous copy in use.
 */
export async function syncOrgSettings(url: string, env: NodeJS.ProcessEnv, fetchImpl: typeof fetch = fetch): Promise<{ file: string; environments: string[] }> {
  let text: string;
  try {
    const response = await fetchImpl(url, { signal: AbortSignal.timeout(15_000), redirect: "follow" });
    if (!response.ok) throw new UnavailableError(`HTTP ${response.status}`);
    text = await response.text();
  } catch (error) {
    throw new UnavailableError(`Cannot download the organisation settings from ${url}: ${(error as Error).message}. The previous copy, if any, stays in use.`);
  }
  const settings = settingsFromDocument(parseToml(text, url), url);
  const file = orgCacheFile(env);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileAtomically(file, text, 0o644);
  return { file, environments: Object.keys(settings.environments).sort() };
}
