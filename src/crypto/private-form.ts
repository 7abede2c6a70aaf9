import { Buffer } from "node:buffer";
import { InvalidValueError } from "../core/errors.js";
import { restorePrivateJwk } from "./jwk-import.js";
import { privateJwk } from "./jwk-export.js";
import type { KeyMaterial } from "./key-material.js";

/**
 * Private material as bytes for the store to seal, and back. The form is the private JWK's JSON in
 * a fixed member order behind a version byte, so the same key always gives the same bytes and a
 * later form can be told apart. This module never encrypts: sealing is the store's job.
 */
const FORM_VERSION = 1;

export function privateKeyToBytes(key: KeyMaterial): Uint8Array {
  const json = Buffer.from(JSON.stringify(privateJwk(key)), "utf8");
  const out = Buffer.allocUnsafe(json.byteLength + 1);
  out[0] = FORM_VERSION;
  json.copy(out, 1);
  return out;
}

export function privateKeyFromBytes(bytes: Uint8Array): KeyMaterial {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] !== FORM_VERSION) throw corrupt();
  let jwk: unknown;
  try {
    jwk = JSON.parse(buffer.subarray(1).toString("utf8"));
  } catch {
    throw corrupt();
  }
  return restorePrivateJwk(jwk);
}

const corrupt = (): InvalidValueError =>
  new InvalidValueError("The stored key material is not in a form this version of orbitra reads.");
