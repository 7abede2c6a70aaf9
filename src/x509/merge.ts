import type { KeyObject } from "node:crypto";
import { badParameter, emptyX5c, keyMismatch } from "./errors.js";
import { parseCertificates, splitLeaf } from "./chain.js";
import type { CertificateMaterial } from "./material.js";
import { looksLikePem, pemBlocks } from "./pem.js";

/**
 * `POST /certificates/{n}/pending/merge`: the `x5c` entries (standard base64 of DER, or of PEM
 * text, which the service also takes) for the pending CSR whose key is `pendingKey`. The
 * certificate holding that key is the leaf, the rest its chain; no such certificate is Key
 * Vault's key-mismatch error. Returns the material without the private key: the caller has it.
 */
export function mergeCertificate(pendingKey: KeyObject, x5c: readonly (string | Uint8Array)[], options: { preserveOrder?: boolean } = {}): CertificateMaterial {
  const ders = x5c.flatMap((entry) => {
    const bytes = typeof entry === "string" ? Buffer.from(entry, "base64") : Buffer.from(entry);
    return looksLikePem(bytes) ? pemBlocks(bytes.toString("utf8")).filter((b) => b.label === "CERTIFICATE").map((b) => b.der) : [bytes];
  });
  if (ders.length === 0) throw emptyX5c();
  const certificates = parseCertificates(ders, () =>
    badParameter("Property x5c has invalid value: an entry is not a base64 DER or PEM X.509 certificate."),
  );
  const split = splitLeaf(certificates, pendingKey, options.preserveOrder);
  if (!split) throw keyMismatch();
  return split;
}
