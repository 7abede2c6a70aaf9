import type { StoredDeletedSecret, StoredSecret } from "../store/types.js";

/** The JSON shapes of Key Vault's secrets API (fact sheet §7), built from stored records. */

export function attributesJson(s: StoredSecret): Record<string, unknown> {
  const attributes: Record<string, unknown> = { enabled: s.enabled };
  if (s.notBefore !== undefined) attributes.nbf = s.notBefore;
  if (s.expiresOn !== undefined) attributes.exp = s.expiresOn;
  attributes.created = s.created;
  attributes.updated = s.updated;
  attributes.recoveryLevel = s.recoveryLevel;
  attributes.recoverableDays = s.recoverableDays;
  return attributes;
}

function common(s: StoredSecret, id: string): Record<string, unknown> {
  const out: Record<string, unknown> = { id, attributes: attributesJson(s) };
  if (s.contentType !== undefined) out.contentType = s.contentType;
  if (Object.keys(s.tags).length > 0) out.tags = s.tags;
  return out;
}

/** SecretBundle; `value` absent for update replies and deleted bundles, as Key Vault does. */
export function secretBundle(vaultUrl: string, s: StoredSecret, value?: string): Record<string, unknown> {
  const bundle = common(s, `${vaultUrl}/secrets/${s.name}/${s.version}`);
  return value === undefined ? bundle : { value, ...bundle };
}

/** SecretItem: the base id in `/secrets`, the versioned id in `/secrets/{n}/versions`. */
export function secretItem(vaultUrl: string, s: StoredSecret, versioned: boolean): Record<string, unknown> {
  return common(s, `${vaultUrl}/secrets/${s.name}${versioned ? `/${s.version}` : ""}`);
}

function deletion(vaultUrl: string, s: StoredDeletedSecret): Record<string, unknown> {
  return { recoveryId: `${vaultUrl}/deletedsecrets/${s.name}`, deletedDate: s.deletedDate, scheduledPurgeDate: s.scheduledPurgeDate };
}

export function deletedSecretBundle(vaultUrl: string, s: StoredDeletedSecret): Record<string, unknown> {
  return { ...secretBundle(vaultUrl, s), ...deletion(vaultUrl, s) };
}

export function deletedSecretItem(vaultUrl: string, s: StoredDeletedSecret): Record<string, unknown> {
  return { ...secretItem(vaultUrl, s, false), ...deletion(vaultUrl, s) };
}

/** `{"value":[...], "nextLink": absolute URL | null}`, keeping api-version and maxresults. */
export function listResult(
  items: unknown[],
  next: string | undefined,
  link: { vaultUrl: string; path: string; apiVersion: string; maxResults: number },
): Record<string, unknown> {
  const nextLink = next
    ? `${link.vaultUrl}${link.path}?api-version=${encodeURIComponent(link.apiVersion)}&$skiptoken=${encodeURIComponent(next)}&maxresults=${link.maxResults}`
    : null;
  return { value: items, nextLink };
}
