import type { KeyObject } from "node:crypto";

/** A certificate as the store keeps it: the leaf, its issuers, and (when known and kept) its private key. */
export interface CertificateMaterial {
  privateKey?: KeyObject;
  /** The leaf's DER. */
  certificate: Buffer;
  /** Issuers' DER, leaf's issuer first. */
  chain: Buffer[];
}
