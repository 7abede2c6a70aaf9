import type {
  CertificateContact,
  StoredCertificate,
  StoredCertificateItem,
  StoredCertificateOperation,
  StoredDeletedCertificate,
  StoredIssuer,
  StoredPendingCertificate,
} from "../../store/certificates/types.js";
import type { CertificatePolicy } from "../../x509/index.js";
import { attributesJson, COLLECTIONS, deletionJson, objectId, type AttributesJson, type DeletionJson } from "../wire-common.js";

/**
 * The JSON shapes of Key Vault's certificates API (docs/keyvault-wire.md §10), built from stored
 * records. Pure. A certificate's key and secret share its name and version, so `kid` and `sid`
 * are derived, never stored.
 */

const LIVE = COLLECTIONS.certificate.live;

export interface CertificateItemJson {
  id: string;
  x5t?: string;
  attributes: AttributesJson;
  tags?: Record<string, string>;
}

export interface CertificateBundleJson extends CertificateItemJson {
  kid: string;
  sid: string;
  cer: string;
  contentType: string;
  policy?: Record<string, unknown>;
}

export function certificateId(origin: string, name: string, version?: string): string {
  return objectId(origin, LIVE, name, version);
}

function item(c: StoredCertificateItem, id: string): CertificateItemJson {
  const out: CertificateItemJson = { id, attributes: attributesJson(c) };
  if (!("pending" in c)) out.x5t = c.x5t;
  if (Object.keys(c.tags).length > 0) out.tags = c.tags;
  return out;
}

/** CertificateBundle: the versioned id; the policy only on reads of the latest (and create/import/merge), as Key Vault answers. */
export function certificateBundle(origin: string, c: StoredCertificate, withPolicy = false): CertificateBundleJson {
  const bundle: CertificateBundleJson = {
    ...item(c, certificateId(origin, c.name, c.version)),
    kid: objectId(origin, COLLECTIONS.key.live, c.name, c.version),
    sid: objectId(origin, COLLECTIONS.secret.live, c.name, c.version),
    cer: c.cer.toString("base64"),
    contentType: c.contentType,
  };
  if (withPolicy) bundle.policy = policyJson(origin, c.name, c.policy);
  return bundle;
}

/** A certificate awaiting its first version: the base id, attributes and policy, no `cer` (Key Vault's pending bundle). */
export function pendingCertificateBundle(origin: string, c: StoredPendingCertificate & { policy: CertificatePolicy }): CertificateItemJson & { policy: Record<string, unknown> } {
  return { ...item(c, certificateId(origin, c.name)), policy: policyJson(origin, c.name, c.policy) };
}

/** CertificateItem: the base id in `/certificates`, the versioned id in `/certificates/{n}/versions`. */
export function certificateItem(origin: string, c: StoredCertificateItem, versioned: boolean): CertificateItemJson {
  return item(c, certificateId(origin, c.name, versioned && !("pending" in c) ? c.version : undefined));
}

function deletion(origin: string, c: StoredDeletedCertificate): DeletionJson {
  return deletionJson(origin, COLLECTIONS.certificate.deleted, c);
}

export function deletedCertificateBundle(origin: string, c: StoredDeletedCertificate): CertificateBundleJson & DeletionJson {
  return { ...certificateBundle(origin, c, true), ...deletion(origin, c) };
}

export function deletedCertificateItem(origin: string, c: StoredDeletedCertificate): CertificateItemJson & DeletionJson {
  return { ...certificateItem(origin, c, false), ...deletion(origin, c) };
}

/** The stored policy with its id; members the service keeps empty stay as they are. */
export function policyJson(origin: string, name: string, policy: CertificatePolicy): Record<string, unknown> {
  const { id: _, ...rest } = policy;
  return { id: `${certificateId(origin, name)}/policy`, ...rest };
}

/** CertificateOperation (§10.2): what the SDK's create poller reads until `status` leaves inProgress. */
export function operationJson(origin: string, op: StoredCertificateOperation): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: `${certificateId(origin, op.name)}/pending`,
    issuer: { name: op.issuerName },
    cancellation_requested: op.cancellationRequested,
    status: op.status,
    status_details: op.statusDetails,
    request_id: op.requestId,
  };
  if (op.csr !== undefined) json.csr = op.csr.toString("base64");
  if (op.completed) json.target = certificateId(origin, op.name);
  if (op.error !== undefined) json.error = op.error;
  return json;
}

/**
 * The create's 202 as Key Vault sends it: `inProgress`, even for a `Self` certificate this server
 * has already made (the next read of `/pending` says `completed`). Python's
 * azure-keyvault-certificates poller never polls a 202 that says `completed`, and its result() is then None.
 */
export function acceptedOperationJson(origin: string, op: StoredCertificateOperation): Record<string, unknown> {
  const { target: _, ...json } = operationJson(origin, op);
  if (!op.completed) return json;
  return { ...json, status: "inProgress", status_details: CREATE_IN_PROGRESS };
}

const CREATE_IN_PROGRESS = "Pending certificate created. Certificate request is in progress. This may take some time based on the issuer provider. Please check again later.";

export function contactsJson(origin: string, contacts: readonly CertificateContact[]): Record<string, unknown> {
  return { id: `${origin}/${LIVE}/contacts`, contacts };
}

/** An issuer as Key Vault answers it: the account id, never the password. */
export function issuerJson(origin: string, issuer: StoredIssuer): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: `${origin}/${LIVE}/issuers/${issuer.name}`,
    provider: issuer.provider,
    attributes: { enabled: issuer.enabled, created: issuer.created, updated: issuer.updated },
  };
  if (issuer.accountId !== undefined) json.credentials = { account_id: issuer.accountId };
  if (issuer.orgDetails !== undefined) json.org_details = issuer.orgDetails;
  return json;
}

/** An IssuerItem in `/certificates/issuers`. */
export function issuerItem(origin: string, issuer: StoredIssuer): Record<string, unknown> {
  return { id: `${origin}/${LIVE}/issuers/${issuer.name}`, provider: issuer.provider };
}
