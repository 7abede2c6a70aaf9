import { createPublicKey, generateKeyPair, webcrypto, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import * as x509 from "@peculiar/x509";
import { badParameter } from "./errors.js";
import type { CurveName, KeyProperties } from "./policy-types.js";

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** What @peculiar/x509 takes as `signingAlgorithm` (and WebCrypto as import parameters). */
export interface SigningAlgorithm {
  name: string;
  hash: string;
  namedCurve?: string;
}

const generate = promisify(generateKeyPair);
const OPENSSL_CURVES: Record<CurveName, string> = { "P-256": "prime256v1", "P-384": "secp384r1", "P-521": "secp521r1", "P-256K": "secp256k1" };
const HASH_OF_CURVE: Record<string, string> = { "P-256": "SHA-256", "P-384": "SHA-384", "P-521": "SHA-512" };

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

/** The WebCrypto keys and signature algorithm @peculiar/x509 signs with: RSA PKCS#1 v1.5 + SHA-256, ECDSA with the curve's hash. */
export async function signingKeys(pair: KeyPair): Promise<{ keys: webcrypto.CryptoKeyPair; algorithm: SigningAlgorithm }> {
  useNodeWebCrypto();
  const curve = curveOf(pair.privateKey);
  if (curve === "P-256K") throw badParameter("Certificates on curve P-256K cannot be issued here: WebCrypto, which signs them, has no secp256k1.");
  const algorithm: SigningAlgorithm =
    curve === undefined
      ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }
      : { name: "ECDSA", namedCurve: curve, hash: HASH_OF_CURVE[curve]! };
  const subtle = webcrypto.subtle;
  const privateKey = await subtle.importKey("pkcs8", pair.privateKey.export({ type: "pkcs8", format: "der" }), algorithm, false, ["sign"]);
  const publicKey = await subtle.importKey("spki", pair.publicKey.export({ type: "spki", format: "der" }), algorithm, true, ["verify"]);
  return { keys: { privateKey, publicKey }, algorithm };
}

/** @peculiar/x509 reads keys and hashes through a global provider: node's WebCrypto. */
export function useNodeWebCrypto(): void {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
}
