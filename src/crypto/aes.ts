import { Buffer } from "node:buffer";
import { createCipheriv, createDecipheriv, randomBytes, type CipherGCMTypes } from "node:crypto";
import { isOrbitraError } from "../core/errors.js";
import type { CipherMode } from "./algorithms.js";
import { badParameter, cannotDecrypt } from "./errors.js";
import type { OctKeyMaterial } from "./key-material.js";

/** The AES modes behind A*GCM, A*CBC, A*CBCPAD, A*KW and the CKM_* wraps, on node:crypto. */

export interface AesResult {
  result: Uint8Array;
  iv?: Uint8Array;
  tag?: Uint8Array;
  aad?: Uint8Array;
}

export interface AesParameters {
  iv?: Uint8Array | undefined;
  aad?: Uint8Array | undefined;
  tag?: Uint8Array | undefined;
}

const GCM_IV_BYTES = 12;
const GCM_TAG_BYTES = 16;
const CBC_IV_BYTES = 16;
// RFC 3394 and RFC 5649 default initial values; OpenSSL's wrap ciphers take them as the IV.
const KW_IV = Buffer.from("A6A6A6A6A6A6A6A6", "hex");
const KWP_IV = Buffer.from("A65959A6", "hex");

export function aesEncrypt(key: OctKeyMaterial, mode: CipherMode, alg: string, plaintext: Uint8Array, p: AesParameters): AesResult {
  switch (mode) {
    case "gcm": {
      // Key Vault makes the GCM IV (docs/keyvault-wire.md §9.3); one the caller brings must be GCM's 12 bytes.
      const iv = p.iv === undefined ? randomBytes(GCM_IV_BYTES) : sized(p.iv, GCM_IV_BYTES, "iv", alg);
      const cipher = createCipheriv(gcm(key), key.secretKey, iv, { authTagLength: GCM_TAG_BYTES });
      if (p.aad !== undefined) cipher.setAAD(p.aad);
      const result = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return { result, iv, tag: cipher.getAuthTag(), ...(p.aad === undefined ? {} : { aad: p.aad }) };
    }
    case "cbc":
    case "cbcpad": {
      if (mode === "cbc" && plaintext.byteLength % 16 !== 0) {
        throw badParameter(`${alg} has no padding: the value must be a multiple of 16 bytes (use ${alg}PAD for any length).`);
      }
      // The SDK never makes a CBC IV itself (docs/keyvault-wire.md §9.3), so the server must when none is sent.
      const iv = p.iv === undefined ? randomBytes(CBC_IV_BYTES) : sized(p.iv, CBC_IV_BYTES, "iv", alg);
      const cipher = createCipheriv(`aes-${key.bits}-cbc`, key.secretKey, iv).setAutoPadding(mode === "cbcpad");
      return { result: Buffer.concat([cipher.update(plaintext), cipher.final()]), iv };
    }
    case "kw":
    case "kwpad": {
      if (mode === "kw" && (plaintext.byteLength < 16 || plaintext.byteLength % 8 !== 0)) {
        throw badParameter(`${alg} wraps keys of 16 bytes or more in steps of 8; this one is ${plaintext.byteLength} bytes.`);
      }
      if (plaintext.byteLength === 0) throw badParameter(`${alg} cannot wrap an empty value.`);
      const cipher = createCipheriv(wrapCipher(key, mode), key.secretKey, mode === "kw" ? KW_IV : KWP_IV);
      return { result: Buffer.concat([cipher.update(plaintext), cipher.final()]) };
    }
    default:
      throw badParameter(`${alg} is not an AES algorithm.`);
  }
}

export function aesDecrypt(
  key: OctKeyMaterial,
  mode: CipherMode,
  alg: string,
  op: "decrypt" | "unwrapKey",
  ciphertext: Uint8Array,
  p: AesParameters,
): Uint8Array {
  try {
    switch (mode) {
      case "gcm": {
        if (p.iv === undefined || p.tag === undefined) throw badParameter(`${alg} decryption needs the 'iv' and 'tag' the encryption returned.`);
        const decipher = createDecipheriv(gcm(key), key.secretKey, sized(p.iv, GCM_IV_BYTES, "iv", alg), {
          authTagLength: GCM_TAG_BYTES,
        });
        decipher.setAuthTag(sized(p.tag, GCM_TAG_BYTES, "tag", alg));
        if (p.aad !== undefined) decipher.setAAD(p.aad);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
      }
      case "cbc":
      case "cbcpad": {
        if (p.iv === undefined) throw badParameter(`${alg} decryption needs the 'iv' the encryption used.`);
        if (ciphertext.byteLength === 0 || ciphertext.byteLength % 16 !== 0) throw cannotDecrypt(op, alg);
        const decipher = createDecipheriv(`aes-${key.bits}-cbc`, key.secretKey, sized(p.iv, CBC_IV_BYTES, "iv", alg));
        decipher.setAutoPadding(mode === "cbcpad");
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
      }
      case "kw":
      case "kwpad": {
        if (ciphertext.byteLength < 16 || ciphertext.byteLength % 8 !== 0) throw cannotDecrypt(op, alg);
        const decipher = createDecipheriv(wrapCipher(key, mode), key.secretKey, mode === "kw" ? KW_IV : KWP_IV);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
      }
      default:
        throw badParameter(`${alg} is not an AES algorithm.`);
    }
  } catch (error) {
    // node:crypto's own failures (a wrong tag, bad padding, a failed unwrap check) all mean the same.
    if (isOrbitraError(error)) throw error;
    throw cannotDecrypt(op, alg);
  }
}

const gcm = (key: OctKeyMaterial): CipherGCMTypes => `aes-${key.bits}-gcm` as CipherGCMTypes;

function wrapCipher(key: OctKeyMaterial, mode: "kw" | "kwpad"): string {
  return `id-aes${key.bits}-wrap${mode === "kwpad" ? "-pad" : ""}`;
}

function sized(bytes: Uint8Array, want: number, member: string, alg: string): Uint8Array {
  if (bytes.byteLength !== want) throw badParameter(`${alg} takes a ${want}-byte '${member}'; this one is ${bytes.byteLength} bytes.`);
  return bytes;
}
