import { AZURE_ARM_HOSTS, AZURE_LOGIN_HOSTS, AZURE_VAULT_SUFFIXES } from "../../core/azure-hosts.js";

/** What a CONNECT target is, for the proxy: one of Azure's hosts that this server answers for, or nothing. */
export type InterceptedHost = { kind: "vault"; name: string } | { kind: "login" } | { kind: "arm" };

const VAULT_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The Azure host names a server with the proxy on answers for: the certificate's extra SANs. */
export function interceptedNames(vaultSuffixes: readonly string[] = AZURE_VAULT_SUFFIXES): string[] {
  return [...vaultSuffixes.map((suffix) => `*.${suffix}`), ...AZURE_LOGIN_HOSTS, ...AZURE_ARM_HOSTS];
}

/**
 * Classifies a lowercase host name without its port. Only exact Azure names match: a vault is one
 * DNS label before a known suffix (`dev.vault.azure.net`, never `a.dev.vault.azure.net`, which the
 * wildcard certificate would not cover either).
 */
export function classifyHost(hostname: string, vaultSuffixes: readonly string[] = AZURE_VAULT_SUFFIXES): InterceptedHost | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if ((AZURE_LOGIN_HOSTS as readonly string[]).includes(host)) return { kind: "login" };
  if ((AZURE_ARM_HOSTS as readonly string[]).includes(host)) return { kind: "arm" };
  for (const suffix of vaultSuffixes) {
    if (!host.endsWith(`.${suffix}`)) continue;
    const label = host.slice(0, -suffix.length - 1);
    if (VAULT_LABEL.test(label)) return { kind: "vault", name: label };
  }
  return undefined;
}
