import { createPublicKey, generateKeyPair, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { badParameter } from "./errors.js";
import type { CurveName, KeyProperties } from "./policy-types.js";

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const generate = promisify(generateKeyPair);
const OPENSSL_CURVES: Record<CurveName, string> = { "P-256": "prime256v1", "P-384": "secp384r1", "P-521": "secp521r1", "P-256K": "secp256k1" };

/**
 * A new key pair for a certificate's `key_props`. The one place this folder makes keys: when
 * `crypto/` lands, this delegates to its key generation.
 */
export async function generateCertificateKey(props: Pick<KeyProperties, "kty" | "key_size" | "crv">): Promise<KeyPair> {
  if (props.kty.startsWith("RSA")) return generate("rsa", { modulusLength: props.key_size ?? 2048 });
  return generate("ec", { namedCurve: OPENSSL_CURVES[props.crv ?? "P-256"] });
}

/** Key Vault certificates hold RSA or EC keys; anything else (Ed25519, DSA, ...) is refused here. */
export function keyTypeOf(key: KeyObject): "RSA" | "EC" {
  if (key.asymmetricKeyType === "rsa") return "RSA";
  if (key.asymmetricKeyType === "ec") return "EC";
  throw badParameter(`The certificate's key is ${key.asymmetricKeyType ?? "of an unknown type"}; Key Vault certificates hold RSA or EC keys.`);
}

/** The JOSE curve name of an EC key, or undefined for RSA. */
export function curveOf(key: KeyObject): CurveName | undefined {
  if (keyTypeOf(key) !== "EC") return undefined;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const name = (Object.keys(OPENSSL_CURVES) as CurveName[]).find((c) => OPENSSL_CURVES[c] === curve);
  if (name === undefined) throw badParameter(`The key's curve ${curve ?? "(unknown)"} is not one Key Vault supports.`);
  return name;
}

/** Whether two keys are halves of one pair (or the same public key): their SPKI bytes match. */
export function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  return spkiOf(a).equals(spkiOf(b));
}

/** The SubjectPublicKeyInfo DER of a key; a private key's public half is derived. */
export function spkiOf(key: KeyObject): Buffer {
  const publicKey = key.type === "private" ? createPublicKey(key) : key;
  return publicKey.export({ type: "spki", format: "der" });
}
