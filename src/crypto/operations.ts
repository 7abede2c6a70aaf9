import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { aesDecrypt, aesEncrypt, type AesParameters, type AesResult } from "./aes.js";
import { assertDigestLength, encryptionSpecFor, signatureSpecFor, type EncryptionSpec } from "./algorithms.js";
import { badParameter, publicKeyOnly } from "./errors.js";
import type { KeyMaterial } from "./key-material.js";
import { rsaDecrypt, rsaEncrypt, rsaSign, rsaVerify } from "./rsa.js";
import type { CryptoOperation, EncryptionAlgorithm, SignatureAlgorithm } from "./types.js";

/**
 * The six operations of `POST /keys/{n}/{v}/{op}` (docs/keyvault-wire.md §9.3) on one key's material. They
 * check the algorithm against the key and the input sizes; whether the key may be used at all
 * (enabled, key_ops, nbf/exp) is {@link assertUsable}'s job, which callers run first.
 */

export type EncryptParameters = Pick<AesParameters, "iv" | "aad">;
export type DecryptParameters = AesParameters;
export type EncryptResult = AesResult;

export async function encrypt(key: KeyMaterial, alg: EncryptionAlgorithm, plaintext: Uint8Array, params: EncryptParameters = {}): Promise<EncryptResult> {
  return seal(key, encryptionSpecFor(alg, key, false), alg, plaintext, params);
}

export async function decrypt(key: KeyMaterial, alg: EncryptionAlgorithm, ciphertext: Uint8Array, params: DecryptParameters = {}): Promise<Uint8Array> {
  return open(key, encryptionSpecFor(alg, key, false), alg, "decrypt", ciphertext, params);
}

/** Wrap a key (RSA algorithms and the AES key wraps); the answer is the wrapped bytes. */
export async function wrapKey(key: KeyMaterial, alg: EncryptionAlgorithm, keyBytes: Uint8Array): Promise<Uint8Array> {
  return (await seal(key, encryptionSpecFor(alg, key, true), alg, keyBytes, {})).result;
}

export async function unwrapKey(key: KeyMaterial, alg: EncryptionAlgorithm, wrapped: Uint8Array): Promise<Uint8Array> {
  return open(key, encryptionSpecFor(alg, key, true), alg, "unwrapKey", wrapped, {});
}

/** Sign a digest (the caller hashed the data: see signData for bytes and streams). */
export async function sign(key: KeyMaterial, alg: SignatureAlgorithm, digest: Uint8Array): Promise<Uint8Array> {
  const spec = signatureSpecFor(alg, key);
  assertDigestLength(alg, digest);
  if (key.family === "oct") return createHmac(spec.hash, key.secretKey).update(digest).digest();
  if (key.privateKey === undefined) throw publicKeyOnly("sign");
  const withPrivate = { ...key, privateKey: key.privateKey };
  if (withPrivate.family === "RSA") return rsaSign(withPrivate, spec.scheme === "pss" ? "pss" : "pkcs1", spec.hash, digest);
  return (await ecdsa()).ecdsaSign(withPrivate, digest);
}

/** True when `signature` is this key's signature of `digest`; a wrong signature is `false`, not an error. */
export async function verify(key: KeyMaterial, alg: SignatureAlgorithm, digest: Uint8Array, signature: Uint8Array): Promise<boolean> {
  const spec = signatureSpecFor(alg, key);
  assertDigestLength(alg, digest);
  if (key.family === "oct") {
    const expected = createHmac(spec.hash, key.secretKey).update(digest).digest();
    return signature.byteLength === expected.byteLength && timingSafeEqual(signature, expected);
  }
  if (key.family === "RSA") return rsaVerify(key, spec.scheme === "pss" ? "pss" : "pkcs1", spec.hash, digest, signature);
  return (await ecdsa()).ecdsaVerify(key, digest, signature);
}

// @noble/curves builds its curves' fields and points as it loads: only an EC signature or
// verification should pay for that, not every command that opens a vault (with node-forge, made
// lazy in forge.ts, ~37 M instructions of every CLI start).
const ecdsa = () => import("./ecdsa.js");

/** `POST /rng`: 1 to 128 random bytes. */
export function getRandomBytes(count: unknown): Uint8Array {
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > 128) {
    throw badParameter("'count' must be an integer from 1 to 128.");
  }
  return randomBytes(count);
}

/** Which operation a request names, for assertUsable; the wire's lowercase segments included. */
export function operationFromPath(segment: string): CryptoOperation | undefined {
  const ops: Record<string, CryptoOperation> = {
    encrypt: "encrypt",
    decrypt: "decrypt",
    sign: "sign",
    verify: "verify",
    wrapkey: "wrapKey",
    unwrapkey: "unwrapKey",
  };
  return ops[segment.toLowerCase()];
}

async function seal(key: KeyMaterial, spec: EncryptionSpec, alg: string, plaintext: Uint8Array, params: EncryptParameters): Promise<EncryptResult> {
  if (key.family === "oct") return aesEncrypt(key, spec.mode, alg, plaintext, params);
  if (key.family === "RSA") return { result: rsaEncrypt(key, spec.oaepHash ?? null, alg, plaintext) };
  throw badParameter(`Algorithm ${alg} cannot be used with an EC key.`);
}

async function open(
  key: KeyMaterial,
  spec: EncryptionSpec,
  alg: string,
  op: "decrypt" | "unwrapKey",
  ciphertext: Uint8Array,
  params: DecryptParameters,
): Promise<Uint8Array> {
  if (key.family === "oct") return aesDecrypt(key, spec.mode, alg, op, ciphertext, params);
  if (key.family !== "RSA") throw badParameter(`Algorithm ${alg} cannot be used with an EC key.`);
  if (key.privateKey === undefined) throw publicKeyOnly(op);
  return rsaDecrypt({ ...key, privateKey: key.privateKey }, spec.oaepHash ?? null, alg, op, ciphertext);
}
