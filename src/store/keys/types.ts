import type { KeyRotationPolicy } from "../../core/key-types.js";
import type { RecoveryLevel } from "../../core/types.js";
import type { CurveName, EncryptionAlgorithm, JsonWebKey, KeyOperation, KeyType, SignatureAlgorithm } from "../../crypto/types.js";
import type { Page, PageRequest } from "../types.js";

/**
 * One key version as the store hands it out: public material only, times in Unix seconds as on
 * Key Vault's wire (like StoredSecret). The private half stays sealed in the file; it leaves only
 * through `exportKey` of an `exportable` key, on purpose.
 */
export interface StoredKey {
  name: string;
  version: string;
  kty: KeyType;
  /** Public JWK members (no `kid`: the layer that knows the vault's URL adds it). */
  publicJwk: JsonWebKey;
  /** Undefined: no restriction. */
  keyOps?: KeyOperation[];
  /** RSA modulus / AES key size in bits; undefined for EC. */
  keySize?: number;
  crv?: CurveName;
  enabled: boolean;
  notBefore?: number;
  expiresOn?: number;
  created: number;
  updated: number;
  exportable: boolean;
  managed: boolean;
  tags: Record<string, string>;
  recoveryLevel: RecoveryLevel;
  recoverableDays: number;
}

export interface StoredDeletedKey extends StoredKey {
  deletedDate: number;
  scheduledPurgeDate: number;
}

/** Attributes in seconds, as the store keeps them. */
export interface StoredKeyAttributes {
  enabled?: boolean;
  notBefore?: number;
  expiresOn?: number;
  exportable?: boolean;
  tags?: Record<string, string>;
  keyOps?: KeyOperation[];
  /** Set only by the certificates repository. */
  managed?: boolean;
}

export interface StoredKeyCreate extends StoredKeyAttributes {
  kty: KeyType;
  keySize?: number;
  publicExponent?: number;
  crv?: CurveName;
}

export interface StoredKeyUpdate {
  enabled?: boolean;
  notBefore?: number;
  expiresOn?: number;
  tags?: Record<string, string>;
  keyOps?: KeyOperation[];
}

/** The answer of encrypt / wrapKey: the bytes, plus the IV / tag / aad an AES mode made. */
export interface StoredCryptoResult {
  /** Always the version that did the work. */
  version: string;
  result: Uint8Array;
  iv?: Uint8Array;
  authenticationTag?: Uint8Array;
  additionalAuthenticatedData?: Uint8Array;
}

export interface CryptoRequest {
  alg: EncryptionAlgorithm;
  value: Uint8Array;
  iv?: Uint8Array;
  aad?: Uint8Array;
  tag?: Uint8Array;
}

/**
 * Key Vault's key semantics on the vault file (`vault.keys`). Written once here so the store, the
 * server routes and the local backend are built against the same contract; `KeyRepository`
 * implements it. `version` undefined means the latest. Failures are OrbitraErrors with Key Vault's
 * codes (KeyNotFound, conflict when deleted, Forbidden/BadParameter from assertUsable...).
 * Crypto calls are async (node:crypto's generateKeyPair, pure-JS ECDSA), reads and writes sync.
 */
export interface KeyStore {
  createKey(name: string, spec: StoredKeyCreate): Promise<StoredKey>;
  /** `jwk` carries the private members; `hsm` is Key Vault's `Hsm` flag. */
  importKey(name: string, jwk: unknown, attributes?: StoredKeyAttributes & { hsm?: boolean }): StoredKey;
  getKey(name: string, version?: string): StoredKey;
  /** A managed key (a certificate's) refuses changes unless `byCertificate` (the certificates repository). */
  updateKeyProperties(name: string, version: string | undefined, update: StoredKeyUpdate, byCertificate?: boolean): StoredKey;
  listKeys(page?: PageRequest): Page<StoredKey>;
  listKeyVersions(name: string, page?: PageRequest): Page<StoredKey>;
  deleteKey(name: string, byCertificate?: boolean): StoredDeletedKey;
  getDeletedKey(name: string): StoredDeletedKey;
  listDeletedKeys(page?: PageRequest): Page<StoredDeletedKey>;
  recoverDeletedKey(name: string): StoredKey;
  purgeDeletedKey(name: string): void;
  backupKey(name: string): Buffer;
  restoreKeyBackup(blob: Uint8Array): StoredKey;
  /** A new version with the latest version's parameters (and the policy's expiry, if any). */
  rotateKey(name: string): Promise<StoredKey>;
  getRotationPolicy(name: string): KeyRotationPolicy;
  setRotationPolicy(name: string, policy: KeyRotationPolicy): KeyRotationPolicy;
  /** The private JWK of an `exportable` key (for a certificate's secret, or a deliberate export). */
  exportKey(name: string, version?: string): JsonWebKey;

  encrypt(name: string, version: string | undefined, request: CryptoRequest): Promise<StoredCryptoResult>;
  decrypt(name: string, version: string | undefined, request: CryptoRequest): Promise<StoredCryptoResult>;
  wrapKey(name: string, version: string | undefined, request: CryptoRequest): Promise<StoredCryptoResult>;
  unwrapKey(name: string, version: string | undefined, request: CryptoRequest): Promise<StoredCryptoResult>;
  sign(name: string, version: string | undefined, alg: SignatureAlgorithm, digest: Uint8Array): Promise<StoredCryptoResult>;
  verify(name: string, version: string | undefined, alg: SignatureAlgorithm, digest: Uint8Array, signature: Uint8Array): Promise<boolean>;
}
