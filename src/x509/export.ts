import { createHash } from "node:crypto";
import type { CertificateMaterial } from "./material.js";
import { toPem } from "./pem.js";
import { writePfx } from "./pfx.js";
import type { SecretContentType } from "./policy-types.js";

/** The parts of a certificate as PEM text, for writing them to separate files. */
export interface PemParts {
  /** PKCS#8, unencrypted; absent when the key is not exportable. */
  key?: string;
  certificate: string;
  /** Issuers, leaf's issuer first, concatenated ("" when there are none). */
  chain: string;
}

export function pemParts(material: CertificateMaterial): PemParts {
  const parts: PemParts = { certificate: toPem("CERTIFICATE", material.certificate), chain: material.chain.map((der) => toPem("CERTIFICATE", der)).join("") };
  if (material.privateKey) parts.key = toPem("PRIVATE KEY", material.privateKey.export({ type: "pkcs8", format: "der" }));
  return parts;
}

/** One PEM text in the order Key Vault writes `application/x-pem-file`: private key, leaf, chain. */
export function pemBundle(material: CertificateMaterial): string {
  const parts = pemParts(material);
  return (parts.key ?? "") + parts.certificate + parts.chain;
}

/**
 * The linked secret's value: the PFX as standard base64 (password-less, as Key Vault does) or the
 * PEM bundle. The private key is in it only if the caller passes it (the policy's `exportable`).
 */
export function secretValue(material: CertificateMaterial, contentType: SecretContentType): string {
  return contentType === "application/x-pem-file" ? pemBundle(material) : writePfx(material).toString("base64");
}

/** `x5t`: the SHA-1 of the leaf's DER, base64url without padding. */
export function thumbprint(der: Uint8Array): string {
  return createHash("sha1").update(der).digest("base64url");
}
