import { badParameter } from "./errors.js";
import type { KeyMaterial } from "./key-material.js";
import type { CurveName, EncryptionAlgorithm, KeyFamily, SignatureAlgorithm } from "./types.js";
import { ENCRYPTION_ALGORITHMS, SIGNATURE_ALGORITHMS } from "./types.js";

/**
 * Which key each algorithm needs. Key Vault answers a mismatch (an RSA algorithm on an EC key, an
 * AES size that is not the key's, ES384 on a P-256 key) with 400 `BadParameter`; the exact texts
 * are not published (UNCONFIRMED), so ours name the algorithm and the key.
 */

export type CipherMode = "rsa" | "gcm" | "cbc" | "cbcpad" | "kw" | "kwpad";

export interface EncryptionSpec {
  readonly family: KeyFamily;
  readonly mode: CipherMode;
  /** The AES key size the algorithm names; absent for RSA and for the CKM_* wraps (any size). */
  readonly bits?: number;
  /** RSA: the OAEP hash, or null for PKCS#1 v1.5. */
  readonly oaepHash?: "sha1" | "sha256" | null;
}

const aes = (mode: CipherMode, bits?: number): EncryptionSpec => (bits === undefined ? { family: "oct", mode } : { family: "oct", mode, bits });

export const ENCRYPTION: Readonly<Record<EncryptionAlgorithm, EncryptionSpec>> = {
  RSA1_5: { family: "RSA", mode: "rsa", oaepHash: null },
  "RSA-OAEP": { family: "RSA", mode: "rsa", oaepHash: "sha1" },
  "RSA-OAEP-256": { family: "RSA", mode: "rsa", oaepHash: "sha256" },
  A128GCM: aes("gcm", 128),
  A192GCM: aes("gcm", 192),
  A256GCM: aes("gcm", 256),
  A128CBC: aes("cbc", 128),
  A192CBC: aes("cbc", 192),
  A256CBC: aes("cbc", 256),
  A128CBCPAD: aes("cbcpad", 128),
  A192CBCPAD: aes("cbcpad", 192),
  A256CBCPAD: aes("cbcpad", 256),
  A128KW: aes("kw", 128),
  A192KW: aes("kw", 192),
  A256KW: aes("kw", 256),
  CKM_AES_KEY_WRAP: aes("kw"),
  CKM_AES_KEY_WRAP_PAD: aes("kwpad"),
};

/** wrapKey / unwrapKey take the RSA algorithms and the AES key wraps (the SDK's KeyWrapAlgorithm). */
export const WRAP_MODES: ReadonlySet<CipherMode> = new Set(["rsa", "kw", "kwpad"]);

export type HashName = "sha256" | "sha384" | "sha512";

export interface SignatureSpec {
  readonly family: KeyFamily;
  readonly scheme: "pkcs1" | "pss" | "ecdsa" | "hmac";
  readonly hash: HashName;
  /** The digest length in bytes the request must carry. */
  readonly digestBytes: number;
  readonly crv?: CurveName;
}

const sig = (family: KeyFamily, scheme: SignatureSpec["scheme"], bits: 256 | 384 | 512, crv?: CurveName): SignatureSpec => ({
  family,
  scheme,
  hash: `sha${bits}`,
  digestBytes: bits / 8,
  ...(crv === undefined ? {} : { crv }),
});

export const SIGNATURE: Readonly<Record<SignatureAlgorithm, SignatureSpec>> = {
  RS256: sig("RSA", "pkcs1", 256),
  RS384: sig("RSA", "pkcs1", 384),
  RS512: sig("RSA", "pkcs1", 512),
  PS256: sig("RSA", "pss", 256),
  PS384: sig("RSA", "pss", 384),
  PS512: sig("RSA", "pss", 512),
  ES256: sig("EC", "ecdsa", 256, "P-256"),
  ES384: sig("EC", "ecdsa", 384, "P-384"),
  // ES512 is ECDSA on P-521 with SHA-512 (RFC 7518 §3.4).
  ES512: sig("EC", "ecdsa", 512, "P-521"),
  ES256K: sig("EC", "ecdsa", 256, "P-256K"),
  // HMAC keys are Managed HSM oct keys; whether a vault takes a digest-sized value only is UNCONFIRMED.
  HS256: sig("oct", "hmac", 256),
  HS384: sig("oct", "hmac", 384),
  HS512: sig("oct", "hmac", 512),
};

const describe = (key: KeyMaterial): string =>
  key.family === "EC" ? `${key.kty} key on curve ${key.crv}` : `${key.bits}-bit ${key.kty} key`;

/** The spec of an encryption algorithm that `key` can run, or a BadParameter error. */
export function encryptionSpecFor(alg: unknown, key: KeyMaterial, wrapping: boolean): EncryptionSpec {
  if (typeof alg !== "string" || !(ENCRYPTION_ALGORITHMS as readonly string[]).includes(alg)) {
    throw badParameter(`Unknown ${wrapping ? "key wrap" : "encryption"} algorithm '${String(alg).slice(0, 40)}'. Use one of ${ENCRYPTION_ALGORITHMS.join(", ")}.`);
  }
  const spec = ENCRYPTION[alg as EncryptionAlgorithm];
  if (wrapping && !WRAP_MODES.has(spec.mode)) {
    throw badParameter(`Algorithm ${alg} is not a key wrap algorithm; wrap with RSA1_5, RSA-OAEP, RSA-OAEP-256 or A128KW/A192KW/A256KW.`);
  }
  if (spec.family !== key.family || (spec.bits !== undefined && key.family === "oct" && spec.bits !== key.bits)) {
    throw badParameter(`Algorithm ${alg} cannot be used with a ${describe(key)}.`);
  }
  return spec;
}

export function signatureSpecFor(alg: unknown, key: KeyMaterial): SignatureSpec {
  if (typeof alg !== "string" || !(SIGNATURE_ALGORITHMS as readonly string[]).includes(alg)) {
    throw badParameter(`Unknown signature algorithm '${String(alg).slice(0, 40)}'. Use one of ${SIGNATURE_ALGORITHMS.join(", ")}.`);
  }
  const spec = SIGNATURE[alg as SignatureAlgorithm];
  if (spec.family !== key.family || (spec.crv !== undefined && key.family === "EC" && spec.crv !== key.crv)) {
    throw badParameter(`Algorithm ${alg} cannot be used with a ${describe(key)}.`);
  }
  return spec;
}

/** The digest a sign / verify request carries must be the algorithm's hash length. */
export function assertDigestLength(alg: SignatureAlgorithm, digest: Uint8Array): void {
  const want = SIGNATURE[alg].digestBytes;
  if (digest.byteLength !== want) {
    throw badParameter(`A ${alg} digest is ${want} bytes (${SIGNATURE[alg].hash.toUpperCase()}); this one is ${digest.byteLength}.`);
  }
}
