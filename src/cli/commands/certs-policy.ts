import type { WirePolicy } from "../../backends/certificates-backend.js";
import { InvalidValueError } from "../../core/errors.js";
import type { FlagSpec } from "../command-declaration.js";
import { readUserFile } from "../private-file.js";
import { UsageError } from "../usage-error.js";

/**
 * `orbitra certs create` / `csr`: the common cases as flags, or a policy JSON file (Key Vault's
 * REST shape), flags winning over the file member by member. What the flags leave out takes Key
 * Vault's defaults in the store or the SDK path alike (x509/policy.ts).
 */
export interface PolicyFlags {
  policy?: string;
  subject?: string;
  san?: string[];
  validityMonths?: string;
  keyType?: string;
  curve?: string;
  keySize?: string;
  ekus?: string;
  keyUsage?: string;
  contentType?: string;
  notExportable?: boolean;
  reuseKey?: boolean;
}

export const POLICY_FLAGS: readonly FlagSpec[] = [
  { flags: "--subject <dn>", description: "the subject, e.g. 'CN=api.example.com, O=Example' (default: CN= the first --san, else the name)" },
  { flags: "--san <name>", description: "a subject alternative name (repeatable): DNS name, IP address, email, URI (scheme://), or upn:USER@DOMAIN", repeatable: true },
  { flags: "--validity-months <n>", description: "validity in months (default 12)" },
  { flags: "--key-type <type>", description: "RSA, RSA-HSM, EC or EC-HSM (default RSA)" },
  { flags: "--curve <curve>", description: "EC curve: P-256, P-384, P-521 or P-256K" },
  { flags: "--key-size <bits>", description: "RSA size: 2048, 3072 or 4096" },
  { flags: "--ekus <oids>", description: "extended key usages, comma-separated OIDs (default server and client auth)" },
  { flags: "--key-usage <usages>", description: "key usages, comma-separated (default digitalSignature,keyEncipherment)" },
  { flags: "--content-type <type>", description: "the linked secret's format: pfx (default) or pem" },
  { flags: "--not-exportable", description: "keep the private key in the vault: downloads then hold the certificate only" },
  { flags: "--reuse-key", description: "renewals keep the same key" },
  { flags: "--policy <file>", description: "a policy JSON file in Key Vault's REST shape; the flags above override its members" },
];

const CONTENT_TYPES: Record<string, string> = {
  pfx: "application/x-pkcs12",
  pkcs12: "application/x-pkcs12",
  "application/x-pkcs12": "application/x-pkcs12",
  pem: "application/x-pem-file",
  "application/x-pem-file": "application/x-pem-file",
};

export function contentTypeOf(text: string): string {
  const type = CONTENT_TYPES[text.toLowerCase()];
  if (!type) throw new UsageError(`--content-type '${text}' is not pem or pfx.`);
  return type;
}

/** The policy the flags (and file) describe, for a certificate named `name`, issued by `issuer`. */
export function policyOf(flags: PolicyFlags, name: string, issuer: string): WirePolicy {
  const base = flags.policy === undefined ? {} : readPolicyFile(flags.policy);
  const key = { ...base.key_props };
  if (flags.keyType !== undefined) key.kty = flags.keyType.toUpperCase();
  if (flags.curve !== undefined) key.crv = flags.curve.toUpperCase();
  if (flags.keySize !== undefined) key.key_size = whole(flags.keySize, "--key-size");
  if (flags.notExportable) key.exportable = false;
  if (flags.reuseKey) key.reuse_key = true;
  const x509 = { ...base.x509_props };
  if (flags.san !== undefined) x509.sans = sansOf(flags.san);
  if (flags.subject !== undefined) x509.subject = flags.subject;
  if (x509.subject === undefined && flags.policy === undefined) x509.subject = `CN=${x509.sans?.dns_names?.[0] ?? name}`;
  if (flags.validityMonths !== undefined) x509.validity_months = whole(flags.validityMonths, "--validity-months");
  if (flags.ekus !== undefined) x509.ekus = list(flags.ekus);
  if (flags.keyUsage !== undefined) x509.key_usage = list(flags.keyUsage);
  const policy: WirePolicy = { ...base, key_props: key, x509_props: x509, issuer: { ...base.issuer, name: issuer === "Self" ? (base.issuer?.name ?? "Self") : issuer } };
  if (flags.contentType !== undefined) policy.secret_props = { contentType: contentTypeOf(flags.contentType) };
  return policy;
}

/** Each `--san` to its kind: an IP, an email, a URI, `upn:` for a UPN, else a DNS name. */
export function sansOf(values: readonly string[]): NonNullable<NonNullable<WirePolicy["x509_props"]>["sans"]> {
  const sans: Record<string, string[]> = {};
  const add = (kind: string, value: string) => (sans[kind] ??= []).push(value);
  for (const value of values) {
    if (value.toLowerCase().startsWith("upn:")) add("upns", value.slice(4));
    else if (process.getBuiltinModule("node:net").isIP(value) !== 0) add("ipAddresses", value);
    else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) add("uris", value);
    else if (value.includes("@")) add("emails", value);
    else add("dns_names", value);
  }
  return sans;
}

/** A policy JSON file, or the policy inside what `orbitra certs policy NAME --json` or `show --json` printed. */
export function readPolicyFile(path: string): WirePolicy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readUserFile(path).toString("utf8"));
  } catch (error) {
    if (error instanceof InvalidValueError) throw error;
    throw new UsageError(`${path} is not JSON: give a policy in Key Vault's REST shape ({"key_props": ..., "x509_props": ...}).`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new UsageError(`${path} must hold a JSON object (a certificate policy).`);
  // `orbitra certs policy NAME --json` prints {"name", "policy"}; a bundle has "policy" too: take the policy inside.
  const inner = (parsed as { policy?: unknown }).policy;
  return (inner !== undefined && typeof inner === "object" ? inner : parsed) as WirePolicy;
}

function whole(text: string, flag: string): number {
  if (!/^\d{1,6}$/.test(text)) throw new UsageError(`${flag} '${text}' is not a whole number.`);
  return Number(text);
}

function list(text: string): string[] {
  return text.split(",").map((s) => s.trim()).filter(Boolean);
}
