import { Buffer } from "node:buffer";
import type { KeyObject } from "node:crypto";
import { p256, p384, p521 } from "@noble/curves/nist.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import type { EcKeyMaterial } from "./key-material.js";
import type { CurveName } from "./types.js";

/**
 * ECDSA over a digest the caller made, with JWS's fixed-length `r || s` (RFC 7518 §3.4).
 * node:crypto's `sign(null, ...)` on an EC key hashes its input with SHA-256 first, so it cannot
 * sign a given digest; @noble/curves (audited) can, for all four curves, with `prehash: false`.
 */
const CURVE = { "P-256": p256, "P-384": p384, "P-521": p521, "P-256K": secp256k1 } as const satisfies Record<CurveName, unknown>;

// The scalar and point bytes are read from the KeyObject once per key, not on every signature.
const scalars = new WeakMap<KeyObject, Uint8Array>();
const points = new WeakMap<KeyObject, Uint8Array>();

const warmed = new Set<CurveName>();

export function ecdsaSign(key: EcKeyMaterial & { privateKey: KeyObject }, digest: Uint8Array): Uint8Array {
  if (!warmed.has(key.crv)) {
    // A larger window for the base point, once per curve (a few ms): signing gets ~1.4x faster.
    CURVE[key.crv].Point.BASE.precompute(8, false);
    warmed.add(key.crv);
  }
  let d = scalars.get(key.privateKey);
  if (d === undefined) {
    d = Buffer.from(key.privateKey.export({ format: "jwk" }).d!, "base64url");
    scalars.set(key.privateKey, d);
  }
  return CURVE[key.crv].sign(digest, d, { prehash: false });
}

/** Accepts high-S signatures too: OpenSSL and other signers do not normalise s. */
export function ecdsaVerify(key: EcKeyMaterial, digest: Uint8Array, signature: Uint8Array): boolean {
  let point = points.get(key.publicKey);
  if (point === undefined) {
    const jwk = key.publicKey.export({ format: "jwk" });
    point = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]);
    points.set(key.publicKey, point);
  }
  try {
    return CURVE[key.crv].verify(signature, digest, point, { prehash: false, lowS: false });
  } catch {
    return false;
  }
}
