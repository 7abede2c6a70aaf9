import type { KeyObject } from "node:crypto";
import { ConflictError, InvalidValueError, type NotFoundError } from "../../core/errors.js";
import { notFoundError } from "../../core/object-errors.js";
import { assertValidTags } from "../../core/rules.js";
import type { CertificatePolicy } from "../../x509/index.js";
import type { CertificateHead } from "./queries.js";
import { policyOf } from "./rows.js";
import type { CertificateAttributesInput } from "./types.js";

/** The certificates repository's small rules and Key Vault's words for its refusals. */

/** The policy's attributes.created / updated, as the service keeps them. */
export function stamp(policy: CertificatePolicy, head: CertificateHead | undefined, now: number): CertificatePolicy {
  const created = head ? (policyOf(head).attributes.created ?? now) : now;
  return { ...policy, attributes: { ...policy.attributes, created, updated: now } };
}

export function pemOf(key: KeyObject): string {
  return key.export({ type: "pkcs8", format: "pem" }).toString();
}

export function tagsJson(tags: Record<string, string> | undefined): string | null {
  return tags && Object.keys(tags).length > 0 ? JSON.stringify(tags) : null;
}

export function checkAttributes(input: CertificateAttributesInput, name: string): void {
  if (input.tags !== undefined) assertValidTags(input.tags, name);
  if (input.enabled !== undefined && typeof input.enabled !== "boolean") {
    throw new InvalidValueError("`enabled` must be true or false.", { kind: "certificate", objectName: name, statusCode: 400, serviceCode: "BadParameter" });
  }
}

export function pendingNotFound(name: string): NotFoundError {
  return notFoundError("certificate", `Pending certificate not found: ${name}`, { objectName: name, statusCode: 404, serviceCode: "CertificateNotFound" });
}

export function pendingConflict(name: string): ConflictError {
  return new ConflictError(`Certificate ${name} has a pending operation in progress; merge, cancel or delete it first.`, {
    kind: "certificate",
    objectName: name,
    statusCode: 409,
    serviceCode: "Conflict",
  });
}
