import type { CertificateOperation, CertificateProperties, DeletedCertificate, DeletedCertificateProperties, KeyVaultCertificate } from "../../backends/certificates-backend.js";

/**
 * How `orbitra certs` prints certificates: JSON-friendly data (ISO dates, the policy as Key
 * Vault's JSON) and aligned `key: value` lines for a person. Never a private key.
 */

export function certificatePropertiesToJson(p: CertificateProperties | DeletedCertificateProperties, now = Date.now()): Record<string, unknown> {
  const out: Record<string, unknown> = { name: p.name };
  if (p.version) out.version = p.version;
  out.id = p.id;
  out.enabled = p.enabled;
  out.tags = p.tags;
  if (p.x509ThumbprintString) out.thumbprint = p.x509ThumbprintString;
  if (p.notBefore) out.notBefore = p.notBefore.toISOString();
  if (p.expiresOn) out.expiresOn = p.expiresOn.toISOString();
  if (p.expiresOn && p.expiresOn.getTime() <= now) out.expired = true;
  if (!p.x509Thumbprint) out.pending = true;
  out.createdOn = p.createdOn.toISOString();
  out.updatedOn = p.updatedOn.toISOString();
  if (p.recoveryLevel) out.recoveryLevel = p.recoveryLevel;
  if ("recoveryId" in p) {
    out.recoveryId = p.recoveryId;
    out.deletedOn = p.deletedOn.toISOString();
    out.scheduledPurgeDate = p.scheduledPurgeDate.toISOString();
  }
  return out;
}

export function certificateToJson(c: KeyVaultCertificate): Record<string, unknown> {
  return {
    ...certificatePropertiesToJson(c.properties),
    keyId: c.keyId,
    secretId: c.secretId,
    cer: Buffer.from(c.cer).toString("base64"),
    ...(c.policy ? { policy: c.policy } : {}),
  };
}

/** Aligned lines: what the certificate says about itself (subject, SANs, issuer), then its properties and tags. */
export function certificateToText(c: KeyVaultCertificate): string {
  const x509 = new (process.getBuiltinModule("node:crypto").X509Certificate)(c.cer);
  const data: [string, string][] = [
    ["name", c.properties.name],
    ["version", c.properties.version ?? "-"],
    ["subject", x509.subject.replace(/\n/g, ", ")],
    ["issuer", x509.issuer.replace(/\n/g, ", ")],
    ...(x509.subjectAltName ? [["sans", x509.subjectAltName] as [string, string]] : []),
    ["notBefore", c.properties.notBefore?.toISOString() ?? "-"],
    ["expiresOn", c.properties.expiresOn?.toISOString() ?? "-"],
    ["enabled", String(c.properties.enabled)],
    ["thumbprint", c.properties.x509ThumbprintString ?? "-"],
    ...(c.policy ? ([["contentType", c.policy.secret_props.contentType], ["keyType", c.policy.key_props.kty], ["exportable", String(c.policy.key_props.exportable)]] as [string, string][]) : []),
  ];
  return rows(data, c.properties.tags);
}

export function operationToJson(op: CertificateOperation): Record<string, unknown> {
  return {
    name: op.name,
    issuer: op.issuerName,
    status: op.status,
    ...(op.statusDetails ? { statusDetails: op.statusDetails } : {}),
    cancellationRequested: op.cancellationRequested,
    ...(op.csr ? { csr: Buffer.from(op.csr).toString("base64") } : {}),
    ...(op.error ? { error: op.error } : {}),
  };
}

export function listToText(items: CertificateProperties[]): string {
  return items.map((c) => `${c.name}${c.x509Thumbprint ? "" : "  (pending)"}\n`).join("");
}

export function versionsToText(versions: CertificateProperties[]): string {
  return versions
    .map((v) => [v.version ?? "-", v.enabled ? "enabled " : "disabled", v.notBefore?.toISOString() ?? "", v.expiresOn ? `expires ${v.expiresOn.toISOString()}` : ""].join("  ").trimEnd())
    .map((line) => `${line}\n`)
    .join("");
}

function rows(entries: [string, string][], tags: Record<string, string>): string {
  const all = [...entries, ...Object.entries(tags).map(([tag, value]) => [`tag ${tag}`, value] as [string, string])];
  const width = Math.max(...all.map(([key]) => key.length));
  return all.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join("\n") + "\n";
}

export function deletedToJson(d: DeletedCertificate): Record<string, unknown> {
  return { ...certificateToJson(d), ...certificatePropertiesToJson(d.properties) };
}
