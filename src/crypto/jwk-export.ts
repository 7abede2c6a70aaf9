import type { KeyObject } from "node:crypto";
import { OrbitraError } from "../core/errors.js";
import type { KeyMaterial } from "./key-material.js";
import type { JsonWebKey, KeyOperation } from "./types.js";

/**
 * The public JWK of a key, as Key Vault answers it: `kty`, `key_ops` and the public members only.
 * An oct key has no public half, so its JWK carries no key material at all (the service never
 * returns `k`).
 */
export function publicJwk(key: KeyMaterial, keyOps?: readonly KeyOperation[], kid?: string): JsonWebKey {
  const jwk: JsonWebKey = { ...(kid === undefined ? {} : { kid }), kty: key.kty };
  if (keyOps !== undefined) jwk.key_ops = [...keyOps];
  if (key.family === "RSA") {
    const { n, e } = exported(key.publicKey);
    return { ...jwk, n: n!, e: e! };
  }
  if (key.family === "EC") {
    const { x, y } = exported(key.publicKey);
    return { ...jwk, crv: key.crv, x: x!, y: y! };
  }
  return jwk;
}

/**
 * The whole JWK with private members, in a fixed member order: for the store's sealing and for
 * the export of an `exportable` key only. Throws for a key known by its public half.
 */
export function privateJwk(key: KeyMaterial): JsonWebKey {
  if (key.family === "oct") return { kty: key.kty, k: key.secretKey.export().toString("base64url") };
  if (key.privateKey === undefined) throw new OrbitraError("Internal", "This key is known by its public half only; it has no private members to give.");
  const j = exported(key.privateKey);
  if (key.family === "RSA") return { kty: key.kty, n: j.n!, e: j.e!, d: j.d!, p: j.p!, q: j.q!, dp: j.dp!, dq: j.dq!, qi: j.qi! };
  return { kty: key.kty, crv: key.crv, x: j.x!, y: j.y!, d: j.d! };
}

function exported(key: KeyObject): Record<string, string | undefined> {
  return key.export({ format: "jwk" }) as Record<string, string | undefined>;
}
