import { normalizeEnvironment, type EnvironmentSettings, type OrbitraSettings } from "./model.js";

/**
 * Settings from variables (the process environment or a `.env` file), named so that no
 * environment name can collide with another orbitra variable:
 *
 *   ORBITRA_ENVIRONMENT=dev                  default environment for the CLI
 *   ORBITRA_VAULT_SUFFIX=vault.azure.cn      cloud DNS suffix
 *   ORBITRA_KEY_VAULT_<ENV>=name|url|local:PATH
 *   ORBITRA_CA_FILE_<ENV>, ORBITRA_TENANT_ID_<ENV>, ORBITRA_CLIENT_ID_<ENV>
 *
 * `<ENV>` is the environment name in capitals with `-` written as `_` (`my-env` -> `MY_ENV`).
 */
const FIELDS: Record<string, keyof EnvironmentSettings> = {
  KEY_VAULT: "keyVault",
  CA_FILE: "caFile",
  TENANT_ID: "tenantId",
  CLIENT_ID: "clientId",
};
const PATTERN = /^ORBITRA_(KEY_VAULT|CA_FILE|TENANT_ID|CLIENT_ID)_([A-Z0-9_]+)$/i;

/** The variable that sets `field` for `environment`, for messages that tell users what to set. */
export function variableFor(field: "KEY_VAULT" | "CA_FILE" | "TENANT_ID" | "CLIENT_ID", environment: string): string {
  return `ORBITRA_${field}_${environment.toUpperCase().replace(/-/g, "_")}`;
}

export function settingsFromVariables(vars: Record<string, string | undefined>, source: string): OrbitraSettings {
  const settings: OrbitraSettings = { environments: {} };
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined || value === "" || !key.startsWith("ORBITRA_")) continue;
    if (key === "ORBITRA_ENVIRONMENT") {
      settings.defaultEnvironment = normalizeEnvironment(value);
      continue;
    }
    if (key === "ORBITRA_VAULT_SUFFIX") {
      settings.vaultSuffix = value;
      continue;
    }
    const match = PATTERN.exec(key);
    if (!match) continue;
    const field = FIELDS[match[1]!.toUpperCase()]!;
    const environment = normalizeEnvironment(match[2]!.replace(/_/g, "-"));
    const entry = (settings.environments[environment] ??= { source });
    (entry as Record<string, string>)[field] = value;
  }
  return settings;
}
