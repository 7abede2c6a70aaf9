/**
 * Key Vault's vocabulary for keys (docs/keyvault-wire.md §9.2): key types, curves, operations, algorithms and
 * its JSON Web Key. The names are the wire names, so the server, the store and the library can pass
 * them through untouched.
 */

export const KEY_TYPES = ["RSA", "RSA-HSM", "EC", "EC-HSM", "oct", "oct-HSM"] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** The three families behind the six key types: `-HSM` only says where Key Vault keeps the key. */
export type KeyFamily = "RSA" | "EC" | "oct";

export const CURVES = ["P-256", "P-384", "P-521", "P-256K"] as const;
export type CurveName = (typeof CURVES)[number];

/** `wrapKey` / `unwrapKey` are camelCase inside a JWK, unlike the lowercase URL segments. */
export const KEY_OPERATIONS = ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey", "import", "export"] as const;
export type KeyOperation = (typeof KEY_OPERATIONS)[number];

/** The six operations a request can ask of a key. */
export type CryptoOperation = "encrypt" | "decrypt" | "sign" | "verify" | "wrapKey" | "unwrapKey";

export const ENCRYPTION_ALGORITHMS = [
  "RSA1_5",
  "RSA-OAEP",
  "RSA-OAEP-256",
  "A128GCM",
  "A192GCM",
  "A256GCM",
  "A128CBC",
  "A192CBC",
  "A256CBC",
  "A128CBCPAD",
  "A192CBCPAD",
  "A256CBCPAD",
  "A128KW",
  "A192KW",
  "A256KW",
  "CKM_AES_KEY_WRAP",
  "CKM_AES_KEY_WRAP_PAD",
] as const;
export type EncryptionAlgorithm = (typeof ENCRYPTION_ALGORITHMS)[number];

export const SIGNATURE_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "ES256K",
  "HS256",
  "HS384",
  "HS512",
] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

/**
 * Key Vault's JWK: every binary member is base64url without padding. Private members (`d`, `dp`,
 * `dq`, `qi`, `p`, `q`, `k`) only ever travel inwards (import) and to the store's sealing; a
 * response carries {@link publicJwk}'s output.
 */
export interface JsonWebKey {
  kid?: string;
  kty: KeyType;
  key_ops?: KeyOperation[];
  n?: string;
  e?: string;
  d?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  p?: string;
  q?: string;
  crv?: CurveName;
  x?: string;
  y?: string;
  k?: string;
  /** A BYOK transfer blob (HSM-protected import); not supported by the local vault. */
  key_hsm?: string;
}

/** What assertUsable needs of a key version: its permitted operations and its attributes. */
export interface KeyUsage {
  /** Absent means "no restriction" (the SDK treats a missing `key_ops` the same). */
  keyOps?: readonly KeyOperation[];
  enabled: boolean;
  notBefore?: Date;
  expiresOn?: Date;
  /** Only for messages. */
  name?: string;
}
