import type {
  StoredCertificate,
  StoredCertificateItem,
  StoredCertificateOperation,
  StoredDeletedCertificate,
} from "../store/certificates/types.js";
import type {
  CertificateOperation,
  CertificateProperties,
  DeletedCertificate,
  DeletedCertificateProperties,
  KeyVaultCertificate,
} from "./certificates-backend.js";

const date = (seconds: number): Date => new Date(seconds * 1000);

/** `${vaultUrl}/${collection}/${name}[/${version}]`: the ids Key Vault gives a certificate and its key and secret. */
function idOf(vaultUrl: string, collection: string, name: string, version?: string): string {
  return version === undefined ? `${vaultUrl}/${collection}/${name}` : `${vaultUrl}/${collection}/${name}/${version}`;
}

/** Stored records as the public model (the local backend's side of certificates-sdk-model.ts). */
export function toCertificateProperties(stored: StoredCertificateItem, vaultUrl: string, withVersion = true): CertificateProperties {
  const pending = "pending" in stored;
  const version = pending || !withVersion ? undefined : stored.version;
  const properties: CertificateProperties = {
    name: stored.name,
    id: idOf(vaultUrl, "certificates", stored.name, version),
    vaultUrl,
    enabled: stored.enabled,
    createdOn: date(stored.created),
    updatedOn: date(stored.updated),
    tags: { ...stored.tags },
    recoveryLevel: stored.recoveryLevel,
    recoverableDays: stored.recoverableDays,
  };
  if (version !== undefined) properties.version = version;
  if (!pending) {
    properties.notBefore = date(stored.notBefore);
    properties.expiresOn = date(stored.expiresOn);
    const x5t = Buffer.from(stored.x5t, "base64url");
    properties.x509Thumbprint = new Uint8Array(x5t);
    properties.x509ThumbprintString = x5t.toString("hex");
  }
  return properties;
}

export function toKeyVaultCertificate(stored: StoredCertificate, vaultUrl: string, withPolicy = true): KeyVaultCertificate {
  const certificate: KeyVaultCertificate = {
    properties: toCertificateProperties(stored, vaultUrl),
    cer: new Uint8Array(stored.cer),
    keyId: idOf(vaultUrl, "keys", stored.name, stored.version),
    secretId: idOf(vaultUrl, "secrets", stored.name, stored.version),
  };
  if (withPolicy) certificate.policy = stored.policy;
  return certificate;
}

function deletion(stored: StoredDeletedCertificate, vaultUrl: string) {
  return { recoveryId: idOf(vaultUrl, "deletedcertificates", stored.name), deletedOn: date(stored.deletedDate), scheduledPurgeDate: date(stored.scheduledPurgeDate) };
}

export function toDeletedCertificate(stored: StoredDeletedCertificate, vaultUrl: string): DeletedCertificate {
  const certificate = toKeyVaultCertificate(stored, vaultUrl);
  return { ...certificate, properties: { ...certificate.properties, ...deletion(stored, vaultUrl) } };
}

export function toDeletedCertificateProperties(stored: StoredDeletedCertificate, vaultUrl: string): DeletedCertificateProperties {
  return { ...toCertificateProperties(stored, vaultUrl, false), ...deletion(stored, vaultUrl) };
}

export function toCertificateOperation(stored: StoredCertificateOperation): CertificateOperation {
  const op: CertificateOperation = {
    name: stored.name,
    issuerName: stored.issuerName,
    status: stored.status,
    cancellationRequested: stored.cancellationRequested,
    requestId: stored.requestId,
  };
  if (stored.statusDetails !== "") op.statusDetails = stored.statusDetails;
  if (stored.csr !== undefined) op.csr = new Uint8Array(stored.csr);
  if (stored.error !== undefined) op.error = stored.error;
  return op;
}
