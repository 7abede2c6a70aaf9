import { objectNotFound } from "../../core/object-errors.js";
import { assertValidName } from "../../core/rules.js";
import { mergeCertificate, type CertificatePolicy } from "../../x509/index.js";
import { checkAttributes, pendingNotFound, tagsJson } from "./checks.js";
import { openKey } from "./linked-objects.js";
import { storedVersion, type CertificateParts } from "./parts.js";
import { prepareVersion } from "./prepared.js";
import type { CertificateHead, OperationRow } from "./queries.js";
import { policyOf, toStoredOperation, toStoredPending } from "./rows.js";
import type { CertificateAttributesInput, StoredCertificate, StoredCertificateOperation, StoredPendingCertificate } from "./types.js";

/**
 * `/certificates/{n}/pending`: a certificate's last operation, its cancel and delete, and the merge
 * that completes a CSR an outside CA signed (the repository's create starts them).
 */

/** The live certificate's operation, or Key Vault's "Pending certificate not found". */
export function operationOf({ core, table }: CertificateParts, name: string): { head: CertificateHead; op: OperationRow } {
  assertValidName(name, "certificate");
  const head = core.read(() => table.certificate(name.toLowerCase()));
  const op = head && head.deleted_date === null ? core.read(() => table.operation(head.id)) : undefined;
  if (!head || !op) throw pendingNotFound(name);
  return { head, op };
}

/** `PATCH .../pending {cancellation_requested:true}`: an operation in progress stops (its key is dropped); a finished one is unchanged. */
export function cancelOperation(parts: CertificateParts, name: string): StoredCertificateOperation {
  return parts.core.write(() => {
    const { head, op } = operationOf(parts, name);
    if (op.status !== "inProgress") return toStoredOperation(head, op);
    const cancelled: OperationRow = { ...op, status: "cancelled", status_details: "Operation cancelled.", cancellation_requested: 1, private_key: null };
    parts.table.putOperation(cancelled);
    return toStoredOperation(head, cancelled);
  });
}

export function deleteOperation(parts: CertificateParts, name: string): StoredCertificateOperation {
  return parts.core.write(() => {
    const { head, op } = operationOf(parts, name);
    parts.table.removeOperation(head.id);
    return toStoredOperation(head, op);
  });
}

/** The signed certificate and its chain for the pending CSR's key: the first version, with its key and secret. */
export function mergeSigned(parts: CertificateParts, name: string, x5c: readonly (string | Uint8Array)[], input: CertificateAttributesInput): StoredCertificate {
  const { core, table, linked } = parts;
  assertValidName(name, "certificate");
  checkAttributes(input, name);
  const { head, op } = operationOf(parts, name);
  if (op.status !== "inProgress" || op.private_key === null) throw pendingNotFound(head.name);
  const privateKey = openKey(core.values, op.private_key, head.name, op.request_id);
  const prepared = prepareVersion({ ...mergeCertificate(privateKey, x5c), privateKey }, policyOf(head));
  return core.write(() => {
    const now = core.purgeExpired();
    const current = operationOf(parts, name);
    // Another merge or a cancel may have come between the read and the write lock.
    if (current.op.request_id !== op.request_id || current.op.status !== "inProgress") throw pendingNotFound(head.name);
    const attributes = { enabled: input.enabled ?? op.enabled === 1, tags: input.tags === undefined ? op.tags : tagsJson(input.tags) };
    const version = linked.addVersion(head.id, head.name, prepared, attributes, now);
    table.setPolicy(head.id, head.policy, prepared.renewAt);
    table.putOperation({ ...op, status: "completed", status_details: "", private_key: null });
    return storedVersion(parts, head.name, version);
  });
}

/**
 * A certificate with no version yet (its create awaits a merge, or was cancelled): Key Vault
 * answers its latest read without `cer`, and the SDK's create poller reads it once the
 * operation leaves inProgress.
 */
export function pendingCertificate(parts: CertificateParts, name: string): StoredPendingCertificate & { policy: CertificatePolicy } {
  const { head, op } = operationOf(parts, name);
  if (parts.core.read(() => parts.table.live(head.name_key))) throw objectNotFound("certificate", name);
  return { ...toStoredPending(head, op, parts.core.retention), policy: policyOf(head) };
}
