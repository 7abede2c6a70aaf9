import type { CertificatePolicy } from "../../x509/index.js";
import { thumbprint } from "../../x509/index.js";
import type { Retention } from "../retention.js";
import type { CertificateHead, CertificatePropertiesRow, OperationRow } from "./queries.js";
import type { OperationStatus, StoredCertificate, StoredCertificateOperation, StoredDeletedCertificate, StoredPendingCertificate } from "./types.js";

export function policyOf(head: Pick<CertificateHead, "policy">): CertificatePolicy {
  return JSON.parse(head.policy) as CertificatePolicy;
}

export function chainText(chain: readonly Buffer[]): string | null {
  return chain.length === 0 ? null : JSON.stringify(chain.map((der) => der.toString("base64")));
}

export function chainOf(text: string | null): Buffer[] {
  return text === null ? [] : (JSON.parse(text) as string[]).map((b64) => Buffer.from(b64, "base64"));
}

export function tagsOf(text: string | null): Record<string, string> {
  return text ? (JSON.parse(text) as Record<string, string>) : {};
}

export function toStoredCertificate(row: CertificatePropertiesRow, retention: Retention): StoredCertificate {
  const policy = policyOf(row);
  const cer = Buffer.from(row.cer);
  return {
    name: row.name,
    version: row.version,
    cer,
    chain: chainOf(row.chain),
    x5t: thumbprint(cer),
    enabled: row.enabled === 1,
    notBefore: row.nbf,
    expiresOn: row.exp,
    created: row.created,
    updated: row.updated,
    tags: tagsOf(row.tags),
    contentType: policy.secret_props.contentType,
    policy,
    recoveryLevel: retention.recoveryLevel,
    recoverableDays: retention.recoverableDays,
  };
}

export function toStoredDeletedCertificate(row: CertificatePropertiesRow, retention: Retention): StoredDeletedCertificate {
  return { ...toStoredCertificate(row, retention), deletedDate: row.deleted_date ?? 0, scheduledPurgeDate: row.scheduled_purge_date ?? 0 };
}

export function toStoredPending(head: CertificateHead, op: OperationRow, retention: Retention): StoredPendingCertificate {
  return {
    name: head.name,
    pending: true,
    enabled: op.enabled === 1,
    created: op.created,
    updated: op.created,
    tags: tagsOf(op.tags),
    recoveryLevel: retention.recoveryLevel,
    recoverableDays: retention.recoverableDays,
  };
}

export function toStoredOperation(head: CertificateHead, op: OperationRow): StoredCertificateOperation {
  const stored: StoredCertificateOperation = {
    name: head.name,
    issuerName: policyOf(head).issuer.name,
    cancellationRequested: op.cancellation_requested === 1,
    status: op.status as OperationStatus,
    statusDetails: op.status_details,
    requestId: op.request_id,
    completed: op.status === "completed",
  };
  if (op.csr !== null) stored.csr = Buffer.from(op.csr);
  if (op.error !== null) stored.error = JSON.parse(op.error) as { code: string; message: string };
  return stored;
}
