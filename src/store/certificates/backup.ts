import { createPrivateKey } from "node:crypto";
import { alreadyExists, objectNotFound } from "../../core/object-errors.js";
import { assertValidName } from "../../core/rules.js";
import type { CertificatePolicy } from "../../x509/index.js";
import { packCertificateBackup, unpackCertificateBackup } from "./backup-blob.js";
import { pemOf } from "./checks.js";
import { openKey, sealKey } from "./linked-objects.js";
import { storedVersion, type CertificateParts } from "./parts.js";
import { prepareVersion } from "./prepared.js";
import { chainOf } from "./rows.js";
import type { StoredCertificate } from "./types.js";

/** Every version (with its private key), the policy and `vault.keys`' own backup of the key, in one sealed blob. */
export function backupCertificate({ core, table, linked }: CertificateParts, name: string): Buffer {
  assertValidName(name, "certificate");
  core.purgeIfDue();
  const rows = core.read(() => table.versions(name.toLowerCase(), 0, -1));
  if (rows.length === 0) throw objectNotFound("certificate", name);
  const first = rows[0]!;
  return packCertificateBackup(core.backupKeys, {
    name: first.name,
    policy: first.policy,
    key: linked.backupKey(first.name).toString("base64"),
    versions: rows.map((row) => ({
      version: row.version,
      cer: Buffer.from(row.cer).toString("base64"),
      chain: row.chain,
      privateKey: pemOf(openKey(core.values, row.private_key, row.name, row.version)),
      tags: row.tags,
      enabled: row.enabled,
      nbf: row.nbf,
      exp: row.exp,
      created: row.created,
      updated: row.updated,
    })),
  });
}

/**
 * Restores under the backup's name with its version ids: the key through its own backup, a
 * managed secret per version rebuilt from the material, then the certificate. The name must be
 * free for all three; one transaction, so a refusal leaves none.
 */
export function restoreCertificate(parts: CertificateParts, blob: Uint8Array): StoredCertificate {
  const { core, table, linked } = parts;
  const payload = unpackCertificateBackup(core.backupKeys, blob);
  const nameKey = payload.name.toLowerCase();
  const policy = JSON.parse(payload.policy) as CertificatePolicy;
  const versions = payload.versions.map((v) => {
    const material = { privateKey: createPrivateKey(v.privateKey), certificate: Buffer.from(v.cer, "base64"), chain: chainOf(v.chain) };
    return { v, prepared: prepareVersion(material, policy), sealed: sealKey(core.values, v.privateKey, nameKey, v.version) };
  });
  return core.write(() => {
    core.purgeExpired();
    if (table.certificate(nameKey)) throw alreadyExists("certificate", payload.name);
    const id = table.insertHead(nameKey, payload.name, payload.policy);
    linked.restore(
      payload.name,
      Buffer.from(payload.key, "base64"),
      versions.map(({ v, prepared }) => ({ version: v.version, value: prepared.secretValue, contentType: prepared.contentType, enabled: v.enabled === 1, notBefore: v.nbf, expiresOn: v.exp })),
    );
    for (const { v, sealed } of versions) {
      const { privateKey: _, cer, ...fields } = v;
      table.insertVersion(id, nameKey, { ...fields, cer: Buffer.from(cer, "base64"), private_key: sealed });
    }
    const last = versions.at(-1)!;
    table.setPolicy(id, payload.policy, last.prepared.renewAt);
    return storedVersion(parts, payload.name, last.v.version);
  });
}
