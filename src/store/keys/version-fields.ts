import { publicJwk } from "../../crypto/jwk-export.js";
import type { KeyMaterial } from "../../crypto/key-material.js";
import type { KeyVersionFields } from "./rows.js";

/** The columns a version's material decides: its type, size or curve, public members, and the sealed private part. */
export function versionFields(
  material: KeyMaterial,
  version: string,
  sealed: Buffer,
): Pick<KeyVersionFields, "version" | "kty" | "key_size" | "crv" | "public_jwk" | "private"> {
  const { kty: _kty, key_ops: _ops, ...members } = publicJwk(material);
  return {
    version,
    kty: material.kty,
    key_size: material.family === "EC" ? null : material.bits,
    crv: material.family === "EC" ? material.crv : null,
    public_jwk: JSON.stringify(members),
    private: sealed,
  };
}
