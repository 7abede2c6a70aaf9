/** What one environment says about its vault. Every member is optional: sources fill in parts. */
export interface EnvironmentSettings {
  /** A Key Vault name, an `https://` vault URL, or `local` / `local:PATH` for an embedded store. */
  keyVault?: string;
  /** PEM file of the CA that signed a local server's certificate. */
  caFile?: string;
  tenantId?: string;
  clientId?: string;
  /** Where `keyVault` and `caFile` came from, to explain a resolution (e.g. `orbitra.toml:/repo/orbitra.toml`). */
  source?: string | undefined;
}

/** Settings after the source merge. */
export interface OrbitraSettings {
  defaultEnvironment?: string;
  /** DNS suffix that turns a vault name into a URL; `vault.azure.net` unless set (sovereign clouds differ). */
  vaultSuffix?: string;
  environments: Record<string, EnvironmentSettings>;
  /** Where the organisation's settings are (org-source.ts); honoured from user settings and ORBITRA_ORG_SETTINGS only. */
  orgSettings?: string;
  /** What the files said that orbitra ignored (unknown keys), one line each, for the CLI to print. */
  warnings?: string[];
}

/** One layer of settings as read from one source, before the merge. */
export interface SettingsLayer {
  source: string;
  /** Folder that relative paths in this layer are resolved from. */
  baseDir: string;
  settings: OrbitraSettings;
}

export const BUILTIN_LOCAL = "local";
export const DEFAULT_VAULT_SUFFIX = "vault.azure.net";

/** Environment names compare case-insensitively, like vault names. */
export function normalizeEnvironment(name: string): string {
  return name.trim().toLowerCase();
}
