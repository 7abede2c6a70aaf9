import { Buffer } from "node:buffer";
import { constants, privateDecrypt, privateEncrypt, publicDecrypt, publicEncrypt, timingSafeEqual, type KeyObject } from "node:crypto";
import type { HashName } from "./algorithms.js";
import { badParameter, cannotDecrypt } from "./errors.js";
import type { RsaKeyMaterial } from "./key-material.js";
import { pssEncode, pssVerify, rsa15DecryptFallback } from "./rsa-forge.js";

/**
 * RSA on node:crypto. Signing works on a digest the caller already made, which node:crypto's
 * `sign()` cannot do (it always hashes): PKCS#1 v1.5 signs DigestInfo || digest through
 * `privateEncrypt` (OpenSSL pads), PSS encodes with node-forge and runs the raw RSA step here.
 */

// DER of DigestInfo's AlgorithmIdentifier and OCTET STRING header (RFC 8017 §9.2, note 1).
const DIGEST_INFO: Readonly<Record<HashName, Buffer>> = {
  sha256: Buffer.from("3031300d060960864801650304020105000420", "hex"),
  sha384: Buffer.from("3041300d060960864801650304020205000430", "hex"),
  sha512: Buffer.from("3051300d060960864801650304020305000440", "hex"),
};

const modulusBytes = (key: RsaKeyMaterial): number => Math.ceil(key.bits / 8);

export function rsaEncrypt(key: RsaKeyMaterial, oaepHash: "sha1" | "sha256" | null, alg: string, plaintext: Uint8Array): Uint8Array {
  const room = modulusBytes(key) - (oaepHash === null ? 11 : 2 * (oaepHash === "sha1" ? 20 : 32) + 2);
  if (plaintext.byteLength > room) throw badParameter(`${alg} with a ${key.bits}-bit key encrypts at most ${room} bytes; this value is ${plaintext.byteLength}.`);
  return publicEncrypt(padding(key.publicKey, oaepHash), plaintext);
}

let nodeRefusesPkcs1Decrypt = false;

export async function rsaDecrypt(
  key: RsaKeyMaterial & { privateKey: KeyObject },
  oaepHash: "sha1" | "sha256" | null,
  alg: string,
  op: "decrypt" | "unwrapKey",
  ciphertext: Uint8Array,
): Promise<Uint8Array> {
  if (ciphertext.byteLength !== modulusBytes(key)) throw cannotDecrypt(op, alg);
  if (oaepHash === null && nodeRefusesPkcs1Decrypt) return rsa15DecryptFallback(key.privateKey, ciphertext, () => cannotDecrypt(op, alg));
  try {
    // Where OpenSSL has implicit rejection (3.2+: Node 22.23 and 24.21 bundle 3.5.8), a bad RSA1_5 ciphertext yields
    // random bytes instead of an error: that is the Marvin-attack defence, kept as is.
    return privateDecrypt(padding(key.privateKey, oaepHash), ciphertext);
  } catch (error) {
    if (oaepHash === null && isPkcs1DecryptRefusal(error)) {
      nodeRefusesPkcs1Decrypt = true;
      return rsa15DecryptFallback(key.privateKey, ciphertext, () => cannotDecrypt(op, alg));
    }
    throw cannotDecrypt(op, alg);
  }
}

/**
 * Node 18.19+/20.11+ without OpenSSL's implicit rejection refuse RSA_PKCS1_PADDING private
 * decryption (CVE-2023-46809) unless started with --security-revert, which a library cannot ask.
 */
function isPkcs1DecryptRefusal(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === "ERR_INVALID_ARG_VALUE" && typeof e.message === "string" && e.message.includes("RSA_PKCS1_PADDING");
}

export async function rsaSign(
  key: RsaKeyMaterial & { privateKey: KeyObject },
  scheme: "pkcs1" | "pss",
  hash: HashName,
  digest: Uint8Array,
): Promise<Uint8Array> {
  if (scheme === "pkcs1") {
    return privateEncrypt({ key: key.privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([DIGEST_INFO[hash], digest]));
  }
  const em = await pssEncode(hash, digest, key.bits);
  return privateEncrypt({ key: key.privateKey, padding: constants.RSA_NO_PADDING }, leftPad(em, modulusBytes(key)));
}

export async function rsaVerify(
  key: RsaKeyMaterial,
  scheme: "pkcs1" | "pss",
  hash: HashName,
  digest: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  if (signature.byteLength !== modulusBytes(key)) return false;
  try {
    if (scheme === "pkcs1") {
      const expected = Buffer.concat([DIGEST_INFO[hash], digest]);
      const got = publicDecrypt({ key: key.publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
      return got.byteLength === expected.byteLength && timingSafeEqual(got, expected);
    }
    const em = publicDecrypt({ key: key.publicKey, padding: constants.RSA_NO_PADDING }, signature);
    return await pssVerify(hash, digest, em, key.bits);
  } catch {
    // A signature that is not a number below n, or whose padding is wrong: not valid.
    return false;
  }
}

function padding(key: KeyObject, oaepHash: "sha1" | "sha256" | null) {
  return oaepHash === null
    ? { key, padding: constants.RSA_PKCS1_PADDING }
    : { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash };
}

function leftPad(bytes: Uint8Array, length: number): Uint8Array {
  if (bytes.byteLength >= length) return bytes;
  const out = Buffer.alloc(length);
  out.set(bytes, length - bytes.byteLength);
  return out;
}
