import { createHash } from "node:crypto";
import { generateKey, type KeySpec } from "../../src/crypto/key-generate.js";
import type { KeyMaterial } from "../../src/crypto/key-material.js";
import { SIGNATURE } from "../../src/crypto/algorithms.js";
import type { SignatureAlgorithm } from "../../src/crypto/types.js";

/** Keys are costly to make (RSA-4096 takes seconds on a busy machine): one per spec per test file. */
const made = new Map<string, Promise<KeyMaterial>>();

export function keyFor(spec: KeySpec): Promise<KeyMaterial> {
  const id = JSON.stringify(spec);
  let key = made.get(id);
  if (key === undefined) {
    key = generateKey(spec);
    made.set(id, key);
  }
  return key;
}

export const ALG_KEYS: Readonly<Record<SignatureAlgorithm, KeySpec>> = {
  RS256: { kty: "RSA" },
  RS384: { kty: "RSA-HSM", keySize: 3072 },
  RS512: { kty: "RSA", keySize: 4096 },
  PS256: { kty: "RSA" },
  PS384: { kty: "RSA-HSM", keySize: 3072 },
  PS512: { kty: "RSA", keySize: 4096 },
  ES256: { kty: "EC", crv: "P-256" },
  ES384: { kty: "EC-HSM", crv: "P-384" },
  ES512: { kty: "EC", crv: "P-521" },
  ES256K: { kty: "EC", crv: "P-256K" },
  HS256: { kty: "oct-HSM", keySize: 256 },
  HS384: { kty: "oct-HSM", keySize: 256 },
  HS512: { kty: "oct", keySize: 256 },
};

export function digest(alg: SignatureAlgorithm, text: string): Buffer {
  return createHash(SIGNATURE[alg].hash).update(text).digest();
}
