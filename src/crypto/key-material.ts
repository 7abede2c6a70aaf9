import type { KeyObject } from "node:crypto";
import type { CurveName, KeyFamily, KeyType } from "./types.js";

/**
 * A key version's material as node:crypto objects, one shape per family. Material stays in
 * `KeyObject`s: they print as `KeyObject { type: 'private' }` (never the bytes), and AES with a
 * `KeyObject` skips the key check that makes raw-Buffer keys 7x slower on Node 24 (FACTS.md).
 */
export type KeyMaterial = RsaKeyMaterial | EcKeyMaterial | OctKeyMaterial;

interface Common {
  readonly kty: KeyType;
  /** `RSA-HSM` / `EC-HSM` / `oct-HSM`: the same mathematics, kept apart as Key Vault does. */
  readonly hsm: boolean;
}

export interface RsaKeyMaterial extends Common {
  readonly family: "RSA";
  readonly publicKey: KeyObject;
  /** Absent for a key known by its public half only (local verify / encrypt). */
  readonly privateKey?: KeyObject;
  /** Modulus size in bits. */
  readonly bits: number;
}

export interface EcKeyMaterial extends Common {
  readonly family: "EC";
  readonly crv: CurveName;
  readonly publicKey: KeyObject;
  readonly privateKey?: KeyObject;
}

export interface OctKeyMaterial extends Common {
  readonly family: "oct";
  readonly secretKey: KeyObject;
  /** AES key size in bits: 128, 192 or 256. */
  readonly bits: number;
}

export function familyOf(kty: KeyType): KeyFamily {
  return kty.startsWith("RSA") ? "RSA" : kty.startsWith("EC") ? "EC" : "oct";
}

export function keyTypeFor(family: KeyFamily, hsm: boolean): KeyType {
  return hsm ? (`${family}-HSM` as KeyType) : family;
}

/** Node's (OpenSSL's) curve names; JWK export says `secp256k1` where Key Vault says `P-256K`. */
export const CURVE_INFO: Readonly<Record<CurveName, { nodeName: string; jwkName: string; bytes: number }>> = {
  "P-256": { nodeName: "prime256v1", jwkName: "P-256", bytes: 32 },
  "P-384": { nodeName: "secp384r1", jwkName: "P-384", bytes: 48 },
  "P-521": { nodeName: "secp521r1", jwkName: "P-521", bytes: 66 },
  "P-256K": { nodeName: "secp256k1", jwkName: "secp256k1", bytes: 32 },
};

export function hasPrivate(key: KeyMaterial): boolean {
  return key.family === "oct" || key.privateKey !== undefined;
}
