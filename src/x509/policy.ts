import { invalidProperty } from "./errors.js";
import { parseSubject } from "./names.js";
import {
  KEY_USAGES,
  type CertificatePolicy,
  type CurveName,
  type KeyProperties,
  type KeyType,
  type KeyUsage,
  type LifetimeAction,
  type SecretContentType,
  type SubjectAlternativeNames,
  type WirePolicy,
} from "./policy-types.js";

/** What a real `Self` certificate's policy shows when the client sent empty objects (§10.3). */
export const DEFAULT_EKUS = ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"];
export const DEFAULT_KEY_USAGE: KeyUsage[] = ["digitalSignature", "keyEncipherment"];
const DEFAULT_VALIDITY_MONTHS = 12;
const MAX_VALIDITY_MONTHS = 1200;
const RSA_SIZES = [2048, 3072, 4096];
const CURVE_SIZES: Record<CurveName, number> = { "P-256": 256, "P-384": 384, "P-521": 521, "P-256K": 256 };
const KEY_TYPES: readonly KeyType[] = ["RSA", "RSA-HSM", "EC", "EC-HSM"];
const CONTENT_TYPES: readonly SecretContentType[] = ["application/x-pkcs12", "application/x-pem-file"];
const SAN_KINDS = ["dns_names", "emails", "upns", "uris", "ipAddresses"] as const;

/**
 * A client's policy JSON -> the policy Key Vault would store: missing or empty members take the
 * service's defaults, impossible values are refused with a `BadParameter` error naming the
 * property. Pure: the same input always gives the same policy (no clock, no ids).
 */
export function normalisePolicy(input: unknown): CertificatePolicy {
  const wire = record(input, "policy") as WirePolicy;
  const issuer = normaliseIssuer(wire.issuer);
  const key_props = normaliseKeyProps(wire.key_props);
  const x509 = record(wire.x509_props, "x509_props") as NonNullable<WirePolicy["x509_props"]>;
  const sans = normaliseSans(x509.sans);
  const subject = optionalString(x509.subject, "x509_props.subject") ?? "";
  if (subject.trim() === "" && !SAN_KINDS.some((kind) => (sans[kind]?.length ?? 0) > 0)) {
    throw invalidProperty("x509_props.subject", subject, "A certificate needs a subject or at least one subject alternative name.");
  }
  if (subject.trim() !== "") parseSubject(subject);
  const validity_months = optionalInteger(x509.validity_months, "x509_props.validity_months") ?? DEFAULT_VALIDITY_MONTHS;
  if (validity_months < 1 || validity_months > MAX_VALIDITY_MONTHS) {
    throw invalidProperty("x509_props.validity_months", validity_months, `Validity must be 1 to ${MAX_VALIDITY_MONTHS} months.`);
  }
  const policy: CertificatePolicy = {
    key_props,
    secret_props: { contentType: normaliseContentType(wire.secret_props) },
    x509_props: {
      subject,
      sans,
      ekus: normaliseEkus(x509.ekus),
      key_usage: normaliseKeyUsage(x509.key_usage),
      validity_months,
      basic_constraints: { ca: optionalBoolean(record(x509.basic_constraints, "basic_constraints").ca, "basic_constraints.ca") ?? false },
    },
    lifetime_actions: normaliseLifetimeActions(wire.lifetime_actions, issuer.name, validity_months),
    issuer,
    attributes: normaliseAttributes(wire.attributes),
  };
  if (wire.id !== undefined) policy.id = String(wire.id);
  return policy;
}

/**
 * `PATCH /certificates/{n}/policy`: the members sent replace the stored ones, section by section
 * (an `x509_props` without `sans` keeps the stored SANs); the result is checked like a new policy.
 */
export function updatePolicy(current: CertificatePolicy, patch: unknown): CertificatePolicy {
  const wire = record(patch, "policy") as WirePolicy;
  const merged: WirePolicy = {
    ...current,
    key_props: { ...current.key_props, ...record(wire.key_props, "key_props") },
    secret_props: { ...current.secret_props, ...record(wire.secret_props, "secret_props") },
    x509_props: { ...current.x509_props, ...record(wire.x509_props, "x509_props") },
    issuer: { ...current.issuer, ...record(wire.issuer, "issuer") },
    attributes: { ...current.attributes, ...record(wire.attributes, "attributes") },
    lifetime_actions: wire.lifetime_actions ?? current.lifetime_actions,
  };
  // A new key type drops the old type's size and curve, which would contradict it.
  if (wire.key_props?.kty !== undefined && wire.key_props.kty !== current.key_props.kty) {
    merged.key_props = { ...merged.key_props };
    if (wire.key_props.key_size === undefined) delete merged.key_props.key_size;
    if (wire.key_props.crv === undefined) delete merged.key_props.crv;
  }
  return normalisePolicy(merged);
}

function normaliseKeyProps(input: unknown): KeyProperties {
  const wire = record(input, "key_props") as NonNullable<WirePolicy["key_props"]>;
  const kty = (optionalString(wire.kty, "key_props.kty") ?? "RSA") as KeyType;
  if (!KEY_TYPES.includes(kty)) throw invalidProperty("key_props.kty", kty, `Key type must be one of ${KEY_TYPES.join(", ")}.`);
  const props: KeyProperties = {
    exportable: optionalBoolean(wire.exportable, "key_props.exportable") ?? true,
    kty,
    reuse_key: optionalBoolean(wire.reuse_key, "key_props.reuse_key") ?? false,
  };
  const size = optionalInteger(wire.key_size, "key_props.key_size");
  const crv = optionalString(wire.crv, "key_props.crv");
  if (kty.startsWith("RSA")) {
    if (crv !== undefined) throw invalidProperty("key_props.crv", crv, "A curve applies to EC keys only.");
    if (size !== undefined && !RSA_SIZES.includes(size)) throw invalidProperty("key_props.key_size", size, "RSA key size must be 2048, 3072 or 4096.");
    props.key_size = size ?? 2048;
    return props;
  }
  if (crv !== undefined && !(crv in CURVE_SIZES)) throw invalidProperty("key_props.crv", crv, "Curve must be one of P-256, P-384, P-521, P-256K.");
  const curve = (crv as CurveName | undefined) ?? curveOfSize(size);
  if (size !== undefined && CURVE_SIZES[curve] !== size) {
    throw invalidProperty("key_props.key_size", size, `Key size ${size} does not match curve ${curve} (${CURVE_SIZES[curve]}).`);
  }
  props.crv = curve;
  if (size !== undefined) props.key_size = size;
  return props;
}

function curveOfSize(size: number | undefined): CurveName {
  if (size === undefined || size === 256) return "P-256";
  if (size === 384) return "P-384";
  if (size === 521) return "P-521";
  throw invalidProperty("key_props.key_size", size, "EC key size must be 256, 384 or 521.");
}

function normaliseContentType(input: unknown): SecretContentType {
  const type = optionalString(record(input, "secret_props").contentType, "secret_props.contentType") ?? "application/x-pkcs12";
  if (!CONTENT_TYPES.includes(type as SecretContentType)) {
    throw invalidProperty("secret_props.contentType", type, "Content type must be application/x-pkcs12 or application/x-pem-file.");
  }
  return type as SecretContentType;
}

function normaliseSans(input: unknown): SubjectAlternativeNames {
  const wire = record(input, "sans") as Record<string, unknown>;
  const sans: SubjectAlternativeNames = {};
  for (const kind of SAN_KINDS) {
    const values = optionalStrings(wire[kind], `sans.${kind}`);
    if (values === undefined || values.length === 0) continue;
    for (const value of values) checkSan(kind, value);
    sans[kind] = values;
  }
  return sans;
}

function checkSan(kind: (typeof SAN_KINDS)[number], value: string): void {
  const bad =
    value === "" ||
    (kind === "ipAddresses" && process.getBuiltinModule("node:net").isIP(value) === 0) ||
    (kind === "dns_names" && !/^(\*\.)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/.test(value)) ||
    ((kind === "emails" || kind === "upns") && !/^[^@\s]+@[^@\s]+$/.test(value)) ||
    (kind === "uris" && !URL.canParse(value));
  if (bad) throw invalidProperty(`sans.${kind}`, value, "It is not a valid subject alternative name of that kind.");
}

function normaliseEkus(input: unknown): string[] {
  const ekus = optionalStrings(input, "x509_props.ekus");
  if (ekus === undefined) return [...DEFAULT_EKUS];
  for (const oid of ekus) {
    if (!/^[0-2](\.(0|[1-9][0-9]*))+$/.test(oid)) throw invalidProperty("x509_props.ekus", oid, "An EKU is an object identifier such as 1.3.6.1.5.5.7.3.1.");
  }
  return ekus;
}

function normaliseKeyUsage(input: unknown): KeyUsage[] {
  const usages = optionalStrings(input, "x509_props.key_usage");
  if (usages === undefined) return [...DEFAULT_KEY_USAGE];
  for (const usage of usages) {
    if (!(KEY_USAGES as readonly string[]).includes(usage)) {
      throw invalidProperty("x509_props.key_usage", usage, `Key usage must be among ${KEY_USAGES.join(", ")}.`);
    }
  }
  return [...new Set(usages)] as KeyUsage[];
}

/**
 * Missing -> one action at 80% of the lifetime: `AutoRenew` where the vault can issue the renewal
 * itself, `EmailContacts` for `Unknown` (a CSR someone else signs cannot renew on its own).
 */
function normaliseLifetimeActions(input: unknown, issuer: string, validityMonths: number): LifetimeAction[] {
  if (input === undefined || input === null) {
    return [{ trigger: { lifetime_percentage: 80 }, action: { action_type: issuer === "Unknown" ? "EmailContacts" : "AutoRenew" } }];
  }
  if (!Array.isArray(input)) throw invalidProperty("lifetime_actions", input, "Lifetime actions are a list.");
  return input.map((entry: unknown, i) => {
    const where = `lifetime_actions[${i}]`;
    const wire = record(entry, where) as { trigger?: unknown; action?: unknown };
    const trigger = record(wire.trigger, `${where}.trigger`) as Record<string, unknown>;
    const percentage = optionalInteger(trigger.lifetime_percentage, `${where}.trigger.lifetime_percentage`);
    const days = optionalInteger(trigger.days_before_expiry, `${where}.trigger.days_before_expiry`);
    if ((percentage === undefined) === (days === undefined)) {
      throw invalidProperty(`${where}.trigger`, trigger, "A trigger takes exactly one of lifetime_percentage and days_before_expiry.");
    }
    const type = optionalString(record(wire.action, `${where}.action`).action_type, `${where}.action.action_type`);
    if (type !== "AutoRenew" && type !== "EmailContacts") throw invalidProperty(`${where}.action.action_type`, type, "Action type must be AutoRenew or EmailContacts.");
    if (percentage !== undefined) {
      if (percentage < 1 || percentage > 99) throw invalidProperty(`${where}.trigger.lifetime_percentage`, percentage, "A percentage is 1 to 99.");
      return { trigger: { lifetime_percentage: percentage }, action: { action_type: type } };
    }
    // Days must leave some lifetime before the trigger: the shortest month has 28 days.
    if (days! < 1 || days! >= validityMonths * 28) {
      throw invalidProperty(`${where}.trigger.days_before_expiry`, days, `Days before expiry must be 1 to ${validityMonths * 28 - 1} for a ${validityMonths}-month certificate.`);
    }
    return { trigger: { days_before_expiry: days! }, action: { action_type: type } };
  });
}

function normaliseIssuer(input: unknown): CertificatePolicy["issuer"] {
  const wire = record(input, "issuer");
  const name = optionalString(wire.name, "issuer.name") ?? "Self";
  if (!/^[0-9A-Za-z-]{1,127}$/.test(name)) throw invalidProperty("issuer.name", name, "An issuer name is 1-127 of 0-9, a-z, A-Z and -.");
  const issuer: CertificatePolicy["issuer"] = { name };
  const cty = optionalString(wire.cty, "issuer.cty");
  if (cty !== undefined) issuer.cty = cty;
  const transparency = optionalBoolean(wire.cert_transparency, "issuer.cert_transparency");
  if (transparency !== undefined) issuer.cert_transparency = transparency;
  return issuer;
}

function normaliseAttributes(input: unknown): CertificatePolicy["attributes"] {
  const wire = record(input, "attributes");
  const attributes: CertificatePolicy["attributes"] = { enabled: optionalBoolean(wire.enabled, "attributes.enabled") ?? true };
  const created = optionalInteger(wire.created, "attributes.created");
  const updated = optionalInteger(wire.updated, "attributes.updated");
  if (created !== undefined) attributes.created = created;
  if (updated !== undefined) attributes.updated = updated;
  return attributes;
}

// JSON readers: `null` counts as missing, as the service treats it.

function record(value: unknown, property: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw invalidProperty(property, value, "It must be a JSON object.");
  return value as Record<string, unknown>;
}

function optionalString(value: unknown, property: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidProperty(property, value, "It must be a string.");
  return value;
}

function optionalStrings(value: unknown, property: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) throw invalidProperty(property, value, "It must be a list of strings.");
  return value as string[];
}

function optionalBoolean(value: unknown, property: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw invalidProperty(property, value, "It must be true or false.");
  return value;
}

function optionalInteger(value: unknown, property: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw invalidProperty(property, value, "It must be a whole number.");
  return value;
}
