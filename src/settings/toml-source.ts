import { readFileSync } from "node:fs";
import { ConfigurationError } from "../core/errors.js";
import { lazyRequire } from "./lazy-require.js";
import { normalizeEnvironment, type EnvironmentSettings, type OrbitraSettings } from "./model.js";

/**
 * Reads an `orbitra.toml` (project) or `settings.toml` (user):
 *
 *   default_environment = "dev"
 *   vault_suffix = "vault.azure.net"
 *   [environments.prod]
 *   key_vault = "contoso-prod"        # or "https://127.0.0.1:8443", or "local:./.orbitra/dev.db"
 *   ca_file = "certs/ca.pem"          # relative to this file
 *   tenant_id = "..."
 *   client_id = "..."
 */
export function settingsFromToml(file: string): OrbitraSettings {
  return settingsFromDocument(parseToml(readFileSync(file, "utf8"), file), file);
}

/** A TOML text as a plain object; `source` names it in the error. */
export function parseToml(text: string, source: string): Record<string, unknown> {
  const { parse } = lazyRequire("smol-toml") as typeof import("smol-toml");
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    const detail = (error instanceof Error ? error.message.split("\n")[0]! : String(error)).replace(/^Invalid TOML document: /, "");
    const { line, column } = error as { line?: unknown; column?: unknown };
    const where = typeof line === "number" && typeof column === "number" ? ` at line ${line}, column ${column}` : "";
    throw new ConfigurationError(`Cannot read settings file ${source}${where}: ${detail}. Fix the TOML syntax or remove the file.`);
  }
}

/**
 * Settings from a parsed document in `orbitra.toml`'s shape (snake_case keys), checked the same
 * way whatever it came from: a TOML file, or an organisation's JSON or module (org-source.ts).
 */
export function settingsFromDocument(doc: Record<string, unknown>, file: string): OrbitraSettings {
  const settings: OrbitraSettings = { environments: {} };
  const warnings = [...unknownKeys(doc, TOP_KEYS, "", file)];
  const text = (key: string, value: unknown): string => {
    if (typeof value !== "string" || value === "") {
      throw new ConfigurationError(`In ${file}, '${key}' must be a non-empty string.`);
    }
    return value;
  };
  if (doc.default_environment !== undefined) {
    settings.defaultEnvironment = normalizeEnvironment(text("default_environment", doc.default_environment));
  }
  if (doc.vault_suffix !== undefined) settings.vaultSuffix = text("vault_suffix", doc.vault_suffix);
  if (doc.org_settings !== undefined) settings.orgSettings = text("org_settings", doc.org_settings);
  const environments = doc.environments ?? {};
  if (typeof environments !== "object" || environments === null || Array.isArray(environments)) {
    throw new ConfigurationError(`In ${file}, 'environments' must be a table: [environments.NAME].`);
  }
  for (const [name, table] of Object.entries(environments as Record<string, unknown>)) {
    if (typeof table !== "object" || table === null || Array.isArray(table)) {
      throw new ConfigurationError(`In ${file}, [environments.${name}] must be a table.`);
    }
    const entry: EnvironmentSettings = { source: file };
    const t = table as Record<string, unknown>;
    warnings.push(...unknownKeys(t, ENVIRONMENT_KEYS, `environments.${name}.`, file));
    if (t.key_vault !== undefined) entry.keyVault = text(`environments.${name}.key_vault`, t.key_vault);
    if (t.ca_file !== undefined) entry.caFile = text(`environments.${name}.ca_file`, t.ca_file);
    if (t.tenant_id !== undefined) entry.tenantId = text(`environments.${name}.tenant_id`, t.tenant_id);
    if (t.client_id !== undefined) entry.clientId = text(`environments.${name}.client_id`, t.client_id);
    settings.environments[normalizeEnvironment(name)] = entry;
  }
  if (warnings.length) settings.warnings = warnings;
  return settings;
}

const TOP_KEYS = ["default_environment", "vault_suffix", "org_settings", "environments"];
const ENVIRONMENT_KEYS = ["key_vault", "ca_file", "tenant_id", "client_id"];

/**
 * A key orbitra does not know is ignored, but said: `keyvault = ...` silently doing nothing is how
 * an environment ends up on the wrong vault. One line per key, naming the key and the file.
 */
function unknownKeys(table: Record<string, unknown>, known: readonly string[], prefix: string, file: string): string[] {
  const squash = (key: string) => key.toLowerCase().replace(/[-_]/g, "");
  return Object.keys(table)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const near = known.find((k) => squash(k) === squash(key));
      return `unknown key '${prefix}${key}' in ${file} is ignored${near ? ` (did you mean '${prefix}${near}'?)` : ""}.`;
    });
}
