import { AZURE_VAULT_SUFFIXES } from "../core/azure-hosts.js";
import { ConfigurationError } from "../core/errors.js";
import { DEFAULT_VAULT_SUFFIX } from "./model.js";
import { resolveFrom } from "./paths.js";

/** Where an environment's secrets live, after settings are resolved. */
export type VaultTarget =
  /** The embedded store, in-process: no network, no credential. */
  | { kind: "local"; environment: string; path: string; /** Named as `local:PATH` rather than the built-in default. */ explicit?: boolean }
  /** A Key Vault REST server that is not Azure (e.g. `orbitra vault serve`), trusted through `caFile`. */
  | { kind: "server"; environment: string; vaultUrl: string; caFile?: string; tenantId?: string; clientId?: string }
  /** Azure Key Vault. */
  | { kind: "azure"; environment: string; vaultUrl: string; tenantId?: string; clientId?: string };

const VAULT_NAME = /^[0-9a-zA-Z](?:[0-9a-zA-Z]|-(?!-)){1,22}[0-9a-zA-Z]$/;

export interface VaultSpecContext {
  environment: string;
  cwd: string;
  vaultSuffix?: string;
  caFile?: string;
  tenantId?: string;
  clientId?: string;
}

/**
 * Turns what a user writes for a vault (`contoso`, `https://contoso.vault.azure.net`,
 * `https://127.0.0.1:8443`, `local`, `local:./dev.db`) into a {@link VaultTarget}.
 */
export function parseVaultSpec(spec: string, context: VaultSpecContext, localDefaultPath: string): VaultTarget {
  const { environment } = context;
  const trimmed = spec.trim();
  if (trimmed === "local") return { kind: "local", environment, path: localDefaultPath };
  if (trimmed.startsWith("local:")) {
    const path = trimmed.slice("local:".length);
    if (!path) throw new ConfigurationError(`'${spec}' names no file: write local:PATH, e.g. local:./.orbitra/dev.db.`);
    return { kind: "local", environment, path: resolveFrom(context.cwd, path), explicit: true };
  }
  const extras = {
    ...(context.tenantId ? { tenantId: context.tenantId } : {}),
    ...(context.clientId ? { clientId: context.clientId } : {}),
  };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new ConfigurationError(`'${spec}' is not a valid vault URL.`);
    }
    if (url.protocol !== "https:") {
      throw new ConfigurationError(`Vault URL '${spec}' must use https: Key Vault clients refuse plain http.`);
    }
    if (url.pathname !== "/" && url.pathname !== "") {
      throw new ConfigurationError(
        `Vault URL '${spec}' has a path; a vault lives at the root of its host (https://host[:port]).`,
      );
    }
    const vaultUrl = url.origin;
    const suffixes = context.vaultSuffix ? [context.vaultSuffix, ...AZURE_VAULT_SUFFIXES] : AZURE_VAULT_SUFFIXES;
    const isAzure = suffixes.some((suffix) => url.hostname.toLowerCase().endsWith(`.${suffix}`));
    if (isAzure) return { kind: "azure", environment, vaultUrl, ...extras };
    return {
      kind: "server",
      environment,
      vaultUrl,
      ...(context.caFile ? { caFile: context.caFile } : {}),
      ...extras,
    };
  }
  if (!VAULT_NAME.test(trimmed)) {
    throw new ConfigurationError(
      `'${spec}' is not a vault name (3-24 letters, digits and single dashes), an https:// URL, or local[:PATH].`,
    );
  }
  const suffix = context.vaultSuffix ?? DEFAULT_VAULT_SUFFIX;
  return { kind: "azure", environment, vaultUrl: `https://${trimmed.toLowerCase()}.${suffix}`, ...extras };
}

/** A short human description: `local store ~/.orbitra/local/vault.db` or the URL. */
export function describeTarget(target: VaultTarget): string {
  return target.kind === "local" ? `local store ${target.path}` : target.vaultUrl;
}
