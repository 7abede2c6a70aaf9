import type { CertificateAttributesInput, CertificateImportInput, IssuerInput } from "../../store/certificates/types.js";
import { parseUpdate } from "../body.js";
import { badParameter } from "../errors.js";

type Json = Record<string, unknown>;

/**
 * Request bodies of the certificates API (docs/keyvault-wire.md §10.1). Only shapes are checked
 * here; the policy's values are the x509 floor's to judge (normalisePolicy), so the library and
 * the server refuse the same things with the same words.
 */

/** `attributes.enabled` and `tags`, as every certificate write carries them (secrets' parser, whose other members do not apply). */
export function parseAttributes(body: Json): CertificateAttributesInput {
  const { enabled, tags } = parseUpdate(body);
  const out: CertificateAttributesInput = {};
  if (enabled !== undefined) out.enabled = enabled;
  if (tags !== undefined) out.tags = tags;
  return out;
}

/** POST /certificates/{n}/create: `{"policy", "attributes"?, "tags"?}`. */
export function parseCreate(body: Json): CertificateAttributesInput & { policy?: unknown } {
  const out: CertificateAttributesInput & { policy?: unknown } = parseAttributes(body);
  if (body.policy !== undefined && body.policy !== null) out.policy = body.policy;
  return out;
}

/** POST /certificates/{n}/import: `{"value", "pwd"?, "policy"?, "attributes"?, "tags"?, "preserveCertOrder"?}`. */
export function parseImport(body: Json): CertificateImportInput {
  if (typeof body.value !== "string" || body.value === "") throw badParameter("Property 'value' is required: the PEM text or the base64 PFX.");
  const out: CertificateImportInput = { ...parseAttributes(body), value: body.value };
  if (body.pwd !== undefined && body.pwd !== null) {
    if (typeof body.pwd !== "string") throw badParameter("Property 'pwd' must be a string.");
    if (body.pwd !== "") out.password = body.pwd;
  }
  if (body.policy !== undefined && body.policy !== null) out.policy = body.policy;
  if (body.preserveCertOrder === true) out.preserveCertOrder = true;
  // Enabled is a policy attribute on import as well (the SDK puts it there).
  const policyEnabled = (body.policy as { attributes?: { enabled?: unknown } } | undefined)?.attributes?.enabled;
  if (out.enabled === undefined && typeof policyEnabled === "boolean") out.enabled = policyEnabled;
  return out;
}

/** POST /certificates/{n}/pending/merge: `{"x5c": [std base64], "attributes"?, "tags"?}`. */
export function parseMerge(body: Json): { x5c: string[]; attributes: CertificateAttributesInput } {
  const x5c = body.x5c;
  if (!Array.isArray(x5c) || x5c.some((entry) => typeof entry !== "string")) throw badParameter("Property 'x5c' must be a list of base64 certificates.");
  return { x5c: x5c as string[], attributes: parseAttributes(body) };
}

/** PATCH /certificates/{n}/pending: only `{"cancellation_requested": true}` means anything. */
export function parseCancel(body: Json): boolean {
  if (body.cancellation_requested !== true) throw badParameter("Property 'cancellation_requested' must be true to cancel the operation.");
  return true;
}

/** PUT /certificates/contacts: `{"contacts": [...]}`; the store checks each entry. */
export function parseContacts(body: Json): unknown {
  return body.contacts;
}

/** PUT / PATCH /certificates/issuers/{i}. */
export function parseIssuer(body: Json): IssuerInput {
  const out: IssuerInput = {};
  if (body.provider !== undefined && body.provider !== null) {
    if (typeof body.provider !== "string") throw badParameter("Property 'provider' must be a string.");
    out.provider = body.provider;
  }
  const credentials = objectOrUndefined(body.credentials, "credentials");
  if (credentials) {
    out.credentials = {};
    if (typeof credentials.account_id === "string") out.credentials.account_id = credentials.account_id;
    if (typeof credentials.pwd === "string") out.credentials.pwd = credentials.pwd;
  }
  const org = objectOrUndefined(body.org_details, "org_details");
  if (org) out.org_details = org as NonNullable<IssuerInput["org_details"]>;
  const attributes = objectOrUndefined(body.attributes, "attributes");
  if (attributes && typeof attributes.enabled === "boolean") out.attributes = { enabled: attributes.enabled };
  return out;
}

function objectOrUndefined(value: unknown, name: string): Json | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw badParameter(`Property '${name}' must be an object.`);
  return value as Json;
}
