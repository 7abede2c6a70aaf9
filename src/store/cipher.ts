import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from "node:crypto";
import { InvalidValueError } from "../core/errors.js";

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a fresh random IV per value. The AAD binds a ciphertext to its place (secret
 * and version), so a row copied under another name decrypts to an error, not to someone else's value.
 * Layout: iv (12) | tag (16) | ciphertext.
 *
 * Pass the key as a `KeyObject` made once where it is used per value: on Node 24 a raw key costs
 * ~7 µs of key checks per cipher, several times the AES work for a secret-sized value.
 */
export function seal(key: Uint8Array | KeyObject, plaintext: Uint8Array, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Throws when the key is wrong or the bytes were changed. */
export function open(key: Uint8Array | KeyObject, sealed: Uint8Array, aad: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new InvalidValueError("sealed value too short");
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const decipher = createDecipheriv("aes-256-gcm", key, buf.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(buf.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(buf.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}
