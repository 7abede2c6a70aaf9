import { Buffer } from "node:buffer";
import { badParameter } from "./errors.js";

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Strict base64url (no padding, no other alphabet): `Buffer.from(s, "base64url")` skips characters
 * it does not know, which would let a malformed JWK member decode to different bytes silently.
 */
export function decodeBase64Url(value: unknown, member: string): Buffer {
  if (typeof value !== "string" || !BASE64URL.test(value) || value.length % 4 === 1) {
    throw badParameter(`The '${member}' member is not base64url (A-Z, a-z, 0-9, '-', '_', no padding).`);
  }
  return Buffer.from(value, "base64url");
}

export function encodeBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
}
