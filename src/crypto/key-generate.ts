import { createSecretKey, generateKeyPair, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
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

type Plan =
  | { family: "RSA"; bits: number; publicExponent: number }
  | { family: "EC"; crv: CurveName }
  | { family: "oct"; bits: number };

/**
 * A new key as Key Vault makes one. Key pairs are generated off the main thread (RSA-4096 takes
 * hundreds of milliseconds), so a server keeps answering meanwhile.
 */
export async function generateKey(spec: KeySpec): Promise<KeyMaterial> {
  const plan = planKey(spec);
  if (plan.family === "oct") return generateKeySync(spec);
  const pair = plan.family === "RSA" ? await generateKeyPairAsync("rsa", rsaOptions(plan)) : await generateKeyPairAsync("ec", ecOptions(plan));
  return withPair(spec.kty, plan, pair);
}

/**
 * The same, on this thread: for a caller that cannot wait (the store's rotation on a synchronous
 * read). It blocks for the whole generation, so prefer {@link generateKey}.
 */
export function generateKeySync(spec: KeySpec): KeyMaterial {
  const plan = planKey(spec);
  if (plan.family === "oct") {
    return { family: "oct", kty: spec.kty, hsm: spec.kty.endsWith("-HSM"), secretKey: createSecretKey(randomBytes(plan.bits / 8)), bits: plan.bits };
  }
  const pair = plan.family === "RSA" ? generateKeyPairSync("rsa", rsaOptions(plan)) : generateKeyPairSync("ec", ecOptions(plan));
  return withPair(spec.kty, plan, pair);
}

/** Checks the spec and fills in Key Vault's defaults. */
function planKey(spec: KeySpec): Plan {
  if (!(KEY_TYPES as readonly string[]).includes(spec.kty)) throw badParameter(`'kty' must be one of ${KEY_TYPES.join(", ")}.`);
  const family = familyOf(spec.kty);
  if (family === "RSA") {
    const bits = spec.keySize ?? 2048;
    if (!RSA_KEY_SIZES.includes(bits)) throw badParameter(`An RSA key is 2048, 3072 or 4096 bits, not ${String(bits)}.`);
    const publicExponent = spec.publicExponent ?? 65537;
    if (!Number.isSafeInteger(publicExponent) || publicExponent < 3 || publicExponent > 0xffffffff || publicExponent % 2 === 0) {
      throw badParameter("The RSA public exponent must be an odd integer from 3 to 2^32-1 (65537 is usual).");
    }
    return { family, bits, publicExponent };
  }
  if (family === "EC") {
    const crv = spec.crv ?? "P-256";
    if (!(CURVES as readonly string[]).includes(crv)) throw badParameter(`'crv' must be one of ${CURVES.join(", ")}.`);
    return { family, crv };
  }
  const bits = spec.keySize ?? 256;
  if (!OCT_KEY_SIZES.includes(bits)) throw badParameter(`An oct key is 128, 192 or 256 bits, not ${String(bits)}.`);
  return { family, bits };
}

const rsaOptions = (plan: { bits: number; publicExponent: number }) => ({ modulusLength: plan.bits, publicExponent: plan.publicExponent });
const ecOptions = (plan: { crv: CurveName }) => ({ namedCurve: CURVE_INFO[plan.crv].nodeName });

function withPair(kty: KeyType, plan: Exclude<Plan, { family: "oct" }>, pair: { publicKey: KeyObject; privateKey: KeyObject }): KeyMaterial {
  const { publicKey, privateKey } = pair;
  const hsm = kty.endsWith("-HSM");
  return plan.family === "RSA"
    ? { family: "RSA", kty, hsm, publicKey, privateKey, bits: plan.bits }
    : { family: "EC", kty, hsm, crv: plan.crv, publicKey, privateKey };
}
