import { randomBytes } from "node:crypto";
import { x509, type Peculiar } from "./peculiar.js";
import { spkiOf, type KeyPair } from "./keys.js";
import { nodeSigning } from "./node-signer.js";
import { parseSubject } from "./names.js";
import type { CertificatePolicy, SubjectAlternativeNames } from "./policy-types.js";

const MINUTE = 60_000;
/** A real Key Vault certificate's notBefore is ~10 minutes before its creation: clocks that lag still accept it. */
const BACKDATE_MS = 10 * MINUTE;

export interface SelfSignedOptions {
  /** The creation time (the store's clock); validity counts from it. Default: now. */
  now?: Date;
  /** Hex serial; default 16 random bytes. */
  serialNumber?: string;
}

/** A self-signed certificate (DER) for the policy's subject, SANs, usages and validity, signed by `keys`. */
export async function createSelfSignedCertificate(policy: CertificatePolicy, keys: KeyPair, options: SelfSignedOptions = {}): Promise<Buffer> {
  const { keys: pair, algorithm, provider } = nodeSigning(keys);
  const validity = validityOf(policy, options.now ?? new Date());
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: options.serialNumber ?? randomSerial(),
    name: subjectName(policy),
    notBefore: validity.notBefore,
    notAfter: validity.notAfter,
    keys: pair,
    signingAlgorithm: algorithm,
    extensions: [...requestedExtensions(policy), await x509.SubjectKeyIdentifierExtension.create(spkiOf(keys.publicKey), false, provider)],
  }, provider);
  return Buffer.from(cert.rawData);
}

/** A PKCS#10 request (DER) for the `Unknown` issuer flow: the same subject and extensions, for a CA to sign. */
export async function createCsr(policy: CertificatePolicy, keys: KeyPair): Promise<Buffer> {
  const { keys: pair, algorithm, provider } = nodeSigning(keys);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subjectName(policy),
    keys: pair,
    signingAlgorithm: algorithm,
    extensions: requestedExtensions(policy),
  }, provider);
  return Buffer.from(csr.rawData);
}

/** notBefore 10 minutes before `now`; notAfter `validity_months` calendar months after `now` (UTC). */
export function validityOf(policy: CertificatePolicy, now: Date): { notBefore: Date; notAfter: Date } {
  const notAfter = new Date(now.getTime());
  const day = notAfter.getUTCDate();
  notAfter.setUTCDate(1);
  notAfter.setUTCMonth(notAfter.getUTCMonth() + policy.x509_props.validity_months);
  // Jan 31 + 1 month is the last day of February, not March 3.
  const lastDay = new Date(Date.UTC(notAfter.getUTCFullYear(), notAfter.getUTCMonth() + 1, 0)).getUTCDate();
  notAfter.setUTCDate(Math.min(day, lastDay));
  return { notBefore: new Date(now.getTime() - BACKDATE_MS), notAfter };
}

function subjectName(policy: CertificatePolicy): string {
  return policy.x509_props.subject.trim() === "" ? "" : parseSubject(policy.x509_props.subject);
}

/** The extensions a policy asks for, in the order Key Vault's certificates carry them. */
function requestedExtensions(policy: CertificatePolicy): Peculiar.Extension[] {
  const props = policy.x509_props;
  const extensions: Peculiar.Extension[] = [];
  const names = generalNames(props.sans);
  // RFC 5280: with an empty subject, the SAN extension must be critical.
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, props.subject.trim() === ""));
  if (props.ekus.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension(props.ekus));
  if (props.key_usage.length > 0) {
    const flags = props.key_usage.reduce((all, usage) => all | x509.KeyUsageFlags[usage], 0);
    extensions.push(new x509.KeyUsagesExtension(flags, true));
  }
  extensions.push(new x509.BasicConstraintsExtension(props.basic_constraints.ca, undefined, true));
  return extensions;
}

function generalNames(sans: SubjectAlternativeNames): Peculiar.JsonGeneralNames {
  return [
    ...(sans.dns_names ?? []).map((value) => ({ type: "dns" as const, value })),
    ...(sans.emails ?? []).map((value) => ({ type: "email" as const, value })),
    ...(sans.upns ?? []).map((value) => ({ type: "upn" as const, value })),
    ...(sans.uris ?? []).map((value) => ({ type: "url" as const, value })),
    ...(sans.ipAddresses ?? []).map((value) => ({ type: "ip" as const, value })),
  ];
}

/** 16 random bytes, high bit clear so the DER INTEGER stays positive (RFC 5280 §4.1.2.2). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f;
  return bytes.toString("hex");
}
