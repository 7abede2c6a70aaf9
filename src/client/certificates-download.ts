import { createPrivateKey } from "node:crypto";
import { SecretStr } from "../core/secret-str.js";
import { pemBlocks, pemParts, readPfx, tlsOptionsFrom, writePfx, type CertificateMaterial, type TlsOptions } from "../x509/index.js";

/**
 * What users write by hand today: a certificate's linked secret (PFX or PEM, with the private key
 * when the policy is exportable) turned into the files and options they need. Pure; the client
 * fetches the secret. The private key stays a `SecretStr` until the caller writes it somewhere.
 */

/** The parts of a certificate as PEM text, for separate files (`tls.key`, `tls.crt`, `ca.crt`). */
export interface CertificatePemFiles {
  /** PKCS#8; absent when the key is not exportable. */
  key?: SecretStr;
  certificate: string;
  /** Issuers, leaf's issuer first; "" for a self-signed certificate. */
  chain: string;
}

/** The secret's value as certificate material; `cer` (the certificate's own DER) picks the leaf. */
export function materialOf(value: string, contentType: string | undefined, cer: Uint8Array): CertificateMaterial {
  const leaf = Buffer.from(cer);
  if (contentType === "application/x-pem-file" || value.includes("-----BEGIN ")) {
    const blocks = pemBlocks(value);
    const certificates = blocks.filter((b) => b.label === "CERTIFICATE").map((b) => b.der);
    const keyBlock = blocks.find((b) => b.label.endsWith("PRIVATE KEY"));
    return withLeaf(certificates, leaf, keyBlock === undefined ? undefined : createPrivateKey(keyBlock.text));
  }
  const { keys, certificates } = readPfx(Buffer.from(value, "base64"));
  return withLeaf(certificates, leaf, keys[0]);
}

export function pemFiles(material: CertificateMaterial): CertificatePemFiles {
  const parts = pemParts(material);
  return { ...(parts.key !== undefined ? { key: new SecretStr(parts.key) } : {}), certificate: parts.certificate, chain: parts.chain };
}

/** One PEM in Key Vault's order: private key (when there is one), leaf, chain. */
export function pemBundleOf(material: CertificateMaterial): SecretStr {
  const parts = pemFiles(material);
  return new SecretStr((parts.key?.reveal() ?? "") + parts.certificate + parts.chain);
}

/** A PFX of the material, with `password` if given (none, as Key Vault writes its own). */
export function pfxOf(material: CertificateMaterial, password?: string): Uint8Array {
  return new Uint8Array(writePfx(material, password));
}

/** `https.createServer(createTlsOptions(...))`: key, the leaf and its chain, and the CA a client should trust. */
export function tlsOptionsOf(material: CertificateMaterial): TlsOptions {
  return tlsOptionsFrom(pemBundleOf(material).reveal());
}

function withLeaf(certificates: Buffer[], leaf: Buffer, privateKey: CertificateMaterial["privateKey"]): CertificateMaterial {
  const chain = certificates.filter((der) => !der.equals(leaf));
  return privateKey === undefined ? { certificate: leaf, chain } : { privateKey, certificate: leaf, chain };
}
