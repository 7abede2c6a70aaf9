import { createHash } from "node:crypto";
import { SIGNATURE } from "./algorithms.js";
import { badParameter } from "./errors.js";
import { piecesOf, type DataInput } from "./data-input.js";
import type { KeyMaterial } from "./key-material.js";
import { sign, verify } from "./operations.js";
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from "./types.js";

/**
 * signData / verifyData: hash the data with the algorithm's digest here, then sign or verify that
 * digest wherever the key is (the server, Key Vault, or this process), which is what the SDK's
 * `signData` does (docs/keyvault-wire.md §9.3). A digest made here and signed by the server verifies locally.
 */

export type DigestSigner = (alg: SignatureAlgorithm, digest: Uint8Array) => Promise<Uint8Array>;
export type DigestVerifier = (alg: SignatureAlgorithm, digest: Uint8Array, signature: Uint8Array) => Promise<boolean>;

/** The digest `alg` signs: SHA-256/384/512 of all of `data`, streamed. */
export async function digestOf(alg: SignatureAlgorithm, data: DataInput): Promise<Uint8Array> {
  if (!(SIGNATURE_ALGORITHMS as readonly string[]).includes(alg)) throw badParameter(`Unknown signature algorithm '${String(alg).slice(0, 40)}'.`);
  const hash = createHash(SIGNATURE[alg].hash);
  for await (const piece of piecesOf(data)) hash.update(piece);
  return hash.digest();
}

export async function signData(alg: SignatureAlgorithm, data: DataInput, signer: DigestSigner | KeyMaterial): Promise<Uint8Array> {
  const digest = await digestOf(alg, data);
  return typeof signer === "function" ? signer(alg, digest) : sign(signer, alg, digest);
}

export async function verifyData(alg: SignatureAlgorithm, data: DataInput, signature: Uint8Array, verifier: DigestVerifier | KeyMaterial): Promise<boolean> {
  const digest = await digestOf(alg, data);
  return typeof verifier === "function" ? verifier(alg, digest, signature) : verify(verifier, alg, digest, signature);
}
