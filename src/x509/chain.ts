import { X509Certificate, type KeyObject } from "node:crypto";
import { samePublicKey } from "./keys.js";

/** Parses DER certificates, calling `malformed` for the error to throw when one does not parse. */
export function parseCertificates(ders: readonly Buffer[], malformed: () => Error): X509Certificate[] {
  return ders.map((der) => {
    try {
      return new X509Certificate(der);
    } catch {
      throw malformed();
    }
  });
}

/**
 * The certificate holding `key`'s public half is the leaf; the others are its chain, leaf's
 * issuer first (or as given with `preserveOrder`). Undefined when no certificate holds the key.
 */
export function splitLeaf(
  certificates: readonly X509Certificate[],
  key: KeyObject,
  preserveOrder = false,
): { certificate: Buffer; chain: Buffer[] } | undefined {
  const index = certificates.findIndex((cert) => samePublicKey(cert.publicKey, key));
  if (index < 0) return undefined;
  const others = certificates.filter((_, i) => i !== index);
  const chain = preserveOrder ? others : issuerOrder(certificates[index]!, others);
  return { certificate: Buffer.from(certificates[index]!.raw), chain: chain.map((cert) => Buffer.from(cert.raw)) };
}

/** Follows issuer links from the leaf up, stopping at a self-issued root; certificates off the path keep their order, after it. */
function issuerOrder(leaf: X509Certificate, others: readonly X509Certificate[]): X509Certificate[] {
  const left = [...others];
  const ordered: X509Certificate[] = [];
  let current = leaf;
  while (current.issuer !== current.subject) {
    const next = left.findIndex((cert) => current.checkIssued(cert));
    if (next < 0) break;
    current = left.splice(next, 1)[0]!;
    ordered.push(current);
  }
  return [...ordered, ...left];
}
