import { createPrivateKey, type KeyObject } from "node:crypto";
import { badParameter, badPem, badPfx, keyMismatch, pemWithoutKey } from "./errors.js";
import { parseCertificates, splitLeaf } from "./chain.js";
import { curveOf } from "./keys.js";
import type { CertificateMaterial } from "./material.js";
import { looksLikePem, pemBlocks } from "./pem.js";
import { readPfx } from "./pfx.js";
import type { SecretContentType } from "./policy-types.js";

export interface ImportedCertificate {
  material: CertificateMaterial & { privateKey: KeyObject };
  /** What the content was: the linked secret keeps this type unless the policy says otherwise. */
  contentType: SecretContentType;
}

export interface ImportOptions {
  password?: string;
  /** Keep the chain in the order given (Key Vault's `preserveCertOrder`); else leaf's issuer first. */
  preserveOrder?: boolean;
}

const KEY_LABELS = new Set(["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY"]);

/**
 * An import's `value`: PEM (certificate + private key, PKCS#8, PKCS#1 or SEC1, encrypted or not,
 * + chain) or PFX (base64 text or bytes, with or without password), told apart as the service
 * does. The private key must be there and must belong to one of the certificates: that one is the leaf.
 */
export function readCertificateContent(content: string | Uint8Array, options: ImportOptions = {}): ImportedCertificate {
  if (looksLikePem(content)) {
    const text = typeof content === "string" ? content : Buffer.from(content).toString("utf8");
    return { material: fromPem(text, options), contentType: "application/x-pem-file" };
  }
  const der = typeof content === "string" ? base64Bytes(content) : content[0] === 0x30 ? content : base64Bytes(Buffer.from(content).toString("latin1"));
  // Python's azure-keyvault-certificates base64-encodes whatever it is given, a PEM too (with the
  // policy's contentType saying PEM), and Key Vault takes it.
  if (looksLikePem(der)) return readCertificateContent(Buffer.from(der).toString("utf8"), options);
  const { keys, certificates } = readPfx(der, options.password);
  if (keys.length === 0) throw badParameter("The specified PKCS#12 X.509 certificate content has no private key. Export it with its private key.");
  return { material: pair(keys, certificates, options, badPfx), contentType: "application/x-pkcs12" };
}

function fromPem(text: string, options: ImportOptions): CertificateMaterial & { privateKey: KeyObject } {
  const blocks = pemBlocks(text);
  const certificates = blocks.filter((b) => b.label === "CERTIFICATE").map((b) => b.der);
  const keyBlocks = blocks.filter((b) => KEY_LABELS.has(b.label));
  if (certificates.length === 0) throw badPem();
  if (keyBlocks.length === 0) throw pemWithoutKey();
  const keys = keyBlocks.map((block) => {
    const encrypted = block.label === "ENCRYPTED PRIVATE KEY" || block.text.includes("Proc-Type: 4,ENCRYPTED");
    if (encrypted && !options.password) throw badParameter("The private key in the PEM content is encrypted: give its password.");
    try {
      return createPrivateKey(encrypted ? { key: block.text, format: "pem", passphrase: options.password! } : { key: block.text, format: "pem" });
    } catch {
      throw encrypted ? badParameter("The private key in the PEM content could not be decrypted: the password is wrong.") : badPem();
    }
  });
  return pair(keys, certificates, options, badPem);
}

/** The first key that belongs to one of the certificates, with that certificate as the leaf. */
function pair(keys: KeyObject[], certificates: Buffer[], options: ImportOptions, malformed: () => Error): CertificateMaterial & { privateKey: KeyObject } {
  const parsed = parseCertificates(certificates, malformed);
  if (parsed.length === 0) throw malformed();
  for (const privateKey of keys) {
    curveOf(privateKey); // throws for a key type or curve that Key Vault certificates cannot hold
    const split = splitLeaf(parsed, privateKey, options.preserveOrder);
    if (split) return { privateKey, ...split };
  }
  throw keyMismatch();
}

/** Standard or URL-safe base64, whitespace allowed; anything else is not a PFX. */
function base64Bytes(text: string): Buffer {
  const clean = text.replace(/\s+/g, "");
  if (clean === "" || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(clean)) throw badPfx();
  return Buffer.from(clean, "base64");
}
