import { createSecretKey, generateKeyPair, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { badParameter } from "./errors.js";
import { RSA_KEY_SIZES } from "./jwk-import.js";
import { CURVE_INFO, familyOf, type KeyMaterial } from "./key-material.js";
import { CURVES, KEY_TYPES, type CurveName, type KeyType } from "./types.js";

const generateKeyPairAsync = promisify(generateKeyPair);

/** What a create request (`POST /keys/{n}/create`) says about the key to make. */
export interface KeySpec {
  kty: KeyType;
  /** RSA: 2048 (default), 3072 or 4096. oct: 128, 192 or 256 (default 256, UNCONFIRMED). */
  keySize?: number;
  /** RSA only; 65537 by default. */
  publicExponent?: number;
  /** EC only; P-256 by default (UNCONFIRMED: Key Vault's default when `crv` is absent). */
  crv?: CurveName;
}

const OCT_KEY_SIZES: readonly number[] = [128, 192, 256];

/**
 * A new key as Key Vault makes one. Key pairs are generated off the main thread (RSA-4096 takes
 * hundreds of milliseconds), so a server keeps answering meanwhile.
 */
export async function generateKey(spec: KeySpec): Promise<KeyMaterial> {
  if (!(KEY_TYPES as readonly string[]).includes(spec.kty)) throw badParameter(`'kty' must be one of ${KEY_TYPES.join(", ")}.`);
  const family = familyOf(spec.kty);
  const hsm = spec.kty.endsWith("-HSM");
  if (family === "RSA") {
    const bits = spec.keySize ?? 2048;
    if (!RSA_KEY_SIZES.includes(bits)) throw badParameter(`An RSA key is 2048, 3072 or 4096 bits, not ${String(bits)}.`);
    const publicExponent = spec.publicExponent ?? 65537;
    if (!Number.isSafeInteger(publicExponent) || publicExponent < 3 || publicExponent > 0xffffffff || publicExponent % 2 === 0) {
      throw badParameter("The RSA public exponent must be an odd integer from 3 to 2^32-1 (65537 is usual).");
    }
    const { publicKey, privateKey } = await generateKeyPairAsync("rsa", { modulusLength: bits, publicExponent });
    return { family, kty: spec.kty, hsm, publicKey, privateKey, bits };
  }
  if (family === "EC") {
    const crv = spec.crv ?? "P-256";
    if (!(CURVES as readonly string[]).includes(crv)) throw badParameter(`'crv' must be one of ${CURVES.join(", ")}.`);
    const { publicKey, privateKey } = await generateKeyPairAsync("ec", { namedCurve: CURVE_INFO[crv].nodeName });
    return { family, kty: spec.kty, hsm, crv, publicKey, privateKey };
  }
  const bits = spec.keySize ?? 256;
  if (!OCT_KEY_SIZES.includes(bits)) throw badParameter(`An oct key is 128, 192 or 256 bits, not ${String(bits)}.`);
  return { family, kty: spec.kty, hsm, secretKey: createSecretKey(randomBytes(bits / 8)), bits };
}
