import { X509Certificate as NodeCertificate } from "node:crypto";
import { x509, type Peculiar } from "./peculiar.js";
import { badParameter } from "./errors.js";
import { thumbprint } from "./export.js";
import { curveOf, keyTypeOf } from "./keys.js";
import { KEY_USAGES, type CertificatePolicy, type CurveName, type KeyUsage, type SecretContentType, type SubjectAlternativeNames } from "./policy-types.js";

/** What a certificate says about itself, read back from its DER. */
export interface CertificateProperties {
  subject: string;
  issuer: string;
  /** Upper-case hex, as Key Vault's portal and `openssl x509 -serial` show it. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  sans: SubjectAlternativeNames;
  keyUsage: KeyUsage[];
  ekus: string[];
  /** Absent when the certificate has no basic constraints extension. */
  basicConstraints?: { ca: boolean };
  /** `x5t`: SHA-1 of the DER, base64url. */
  x5t: string;
  kty: "RSA" | "EC";
  keySize?: number;
  crv?: CurveName;
}

const SAN_FIELD: Partial<Record<string, keyof SubjectAlternativeNames>> = {
  dns: "dns_names",
  email: "emails",
  upn: "upns",
  url: "uris",
  ip: "ipAddresses",
};

export function readCertificateProperties(der: Uint8Array): CertificateProperties {
  let cert: Peculiar.X509Certificate;
  let node: NodeCertificate;
  try {
    cert = new x509.X509Certificate(der);
    node = new NodeCertificate(der);
  } catch {
    throw badParameter("The specified X.509 certificate content is invalid. Error: One or more X.509 properties are invalid.");
  }
  const properties: CertificateProperties = {
    subject: cert.subject,
    issuer: cert.issuer,
    serialNumber: node.serialNumber.toUpperCase(),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    sans: sansOf(cert),
    keyUsage: keyUsageOf(cert),
    ekus: Array.from(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [], String),
    x5t: thumbprint(der),
    kty: keyTypeOf(node.publicKey),
  };
  const constraints = cert.getExtension(x509.BasicConstraintsExtension);
  if (constraints) properties.basicConstraints = { ca: constraints.ca };
  const crv = curveOf(node.publicKey);
  if (crv) properties.crv = crv;
  else properties.keySize = node.publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  return properties;
}

/**
 * The policy Key Vault records for an import that brought none: the certificate's own subject,
 * SANs, usages and lifetime, issuer `Unknown` (nobody here can renew it) and so an
 * `EmailContacts` action at 80%.
 */
export function policyFromCertificate(der: Uint8Array, contentType: SecretContentType, exportable = true): CertificatePolicy {
  const p = readCertificateProperties(der);
  const key_props: CertificatePolicy["key_props"] = { exportable, kty: p.kty, reuse_key: false };
  if (p.keySize !== undefined) key_props.key_size = p.keySize;
  if (p.crv !== undefined) key_props.crv = p.crv;
  return {
    key_props,
    secret_props: { contentType },
    x509_props: {
      subject: p.subject,
      sans: p.sans,
      ekus: p.ekus,
      key_usage: p.keyUsage,
      validity_months: monthsBetween(p.notBefore, p.notAfter),
      basic_constraints: { ca: p.basicConstraints?.ca ?? false },
    },
    lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: "EmailContacts" } }],
    issuer: { name: "Unknown" },
    attributes: { enabled: true },
  };
}

/** Whole calendar months from notBefore to notAfter, rounded to the nearest, at least 1. */
function monthsBetween(from: Date, to: Date): number {
  const months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
  const dayShift = (to.getUTCDate() - from.getUTCDate()) / 30;
  return Math.max(1, Math.round(months + dayShift));
}

function sansOf(cert: Peculiar.X509Certificate): SubjectAlternativeNames {
  const sans: SubjectAlternativeNames = {};
  for (const name of cert.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? []) {
    const field = SAN_FIELD[name.type];
    if (field) (sans[field] ??= []).push(name.value);
  }
  return sans;
}

function keyUsageOf(cert: Peculiar.X509Certificate): KeyUsage[] {
  const flags = cert.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
  return KEY_USAGES.filter((usage) => (flags & x509.KeyUsageFlags[usage]) !== 0);
}
