import type { VaultCore } from "../vault-core.js";
import type { LinkedObjects } from "./linked-objects.js";
import type { CertificateTable } from "./queries.js";
import { toStoredCertificate } from "./rows.js";
import type { StoredCertificate } from "./types.js";

/** What the certificates repository's files share: the vault, the tables, the linked key and secret. */
export interface CertificateParts {
  core: VaultCore;
  table: CertificateTable;
  linked: LinkedObjects;
}

/** A version just written, read back as the store hands it out (inside the write that made it). */
export function storedVersion(parts: CertificateParts, name: string, version: string): StoredCertificate {
  return toStoredCertificate(parts.table.live(name.toLowerCase(), version)!, parts.core.retention);
}
