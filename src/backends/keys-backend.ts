import type {
  CreateKeyOptions,
  DeletedKey,
  ImportKeyOptions,
  KeyProperties,
  KeyPropertiesUpdate,
  KeyRotationPolicy,
  KeyVaultKey,
} from "../core/key-types.js";
import type { EncryptionAlgorithm, JsonWebKey, SignatureAlgorithm } from "../crypto/types.js";

/**
 * A deleted key as Key Vault lists it (`DeletedKeyItem`): properties and the deletion facts, no
 * key material. `getDeletedKey` gives the whole {@link DeletedKey}.
 */
export interface DeletedKeyProperties extends KeyProperties {
  /** `https://vault/deletedkeys/name`. */
  recoveryId: string;
  deletedOn: Date;
  scheduledPurgeDate: Date;
}

/** The input of encrypt / decrypt: the AES modes' IV, tag and additional data where they apply. */
export interface KeyCryptoRequest {
  algorithm: EncryptionAlgorithm;
  value: Uint8Array;
  iv?: Uint8Array | undefined;
  additionalAuthenticatedData?: Uint8Array | undefined;
  /** decrypt with A*GCM only. */
  authenticationTag?: Uint8Array | undefined;
}

/** What a crypto operation answers: the bytes, the versioned id of the key that did it, and what an AES mode made. */
export interface KeyCryptoResult {
  result: Uint8Array;
  /** The versioned key id (`…/keys/name/version`). */
  keyId: string;
  algorithm: EncryptionAlgorithm | SignatureAlgorithm;
  iv?: Uint8Array;
  authenticationTag?: Uint8Array;
  additionalAuthenticatedData?: Uint8Array;
}

/**
 * One vault's keys, in Key Vault's terms. Two implementations, like SecretsBackend: the embedded
 * store in-process (`LocalKeysBackend`) and the official `KeyClient` / `CryptographyClient`
 * (`KeyVaultKeysBackend`), to Azure or to `orbitra vault serve`. The same contract suite runs
 * against both (test/contract/keys-contract.ts).
 *
 * - every failure is an `OrbitraError` (`KeyNotFound`, PermissionDenied for a refused operation,
 *   InvalidValue for a wrong algorithm or a malformed JWK...);
 * - `version` undefined means the latest version;
 * - list items carry no key material, and `listKeys` items no version (Key Vault names the key);
 * - `deleteKey` / `recoverDeletedKey` return once the change is visible.
 */
export interface KeysBackend {
  readonly vaultUrl: string;

  createKey(name: string, options: CreateKeyOptions): Promise<KeyVaultKey>;
  /** `jwk` with its private members; only the public half comes back. */
  importKey(name: string, jwk: JsonWebKey, options?: ImportKeyOptions): Promise<KeyVaultKey>;
  getKey(name: string, version?: string): Promise<KeyVaultKey>;
  updateKeyProperties(name: string, version: string | undefined, update: KeyPropertiesUpdate): Promise<KeyVaultKey>;
  listKeys(): AsyncIterable<KeyProperties>;
  listKeyVersions(name: string): AsyncIterable<KeyProperties>;
  deleteKey(name: string): Promise<DeletedKey>;
  getDeletedKey(name: string): Promise<DeletedKey>;
  listDeletedKeys(): AsyncIterable<DeletedKeyProperties>;
  recoverDeletedKey(name: string): Promise<KeyVaultKey>;
  purgeDeletedKey(name: string): Promise<void>;
  /** An opaque blob of every version; only a vault of the same kind restores it. */
  backupKey(name: string): Promise<Uint8Array>;
  restoreKeyBackup(backup: Uint8Array): Promise<KeyVaultKey>;
  /** A new version with the latest one's type, size or curve and operations. */
  rotateKey(name: string): Promise<KeyVaultKey>;
  getKeyRotationPolicy(name: string): Promise<KeyRotationPolicy>;
  updateKeyRotationPolicy(name: string, policy: KeyRotationPolicy): Promise<KeyRotationPolicy>;

  encrypt(name: string, version: string | undefined, request: KeyCryptoRequest): Promise<KeyCryptoResult>;
  decrypt(name: string, version: string | undefined, request: KeyCryptoRequest): Promise<KeyCryptoResult>;
  wrapKey(name: string, version: string | undefined, algorithm: EncryptionAlgorithm, key: Uint8Array): Promise<KeyCryptoResult>;
  unwrapKey(name: string, version: string | undefined, algorithm: EncryptionAlgorithm, wrapped: Uint8Array): Promise<KeyCryptoResult>;
  /** Signs a digest (the caller hashed the data). */
  sign(name: string, version: string | undefined, algorithm: SignatureAlgorithm, digest: Uint8Array): Promise<KeyCryptoResult>;
  /** A wrong signature is `false`, not an error. */
  verify(name: string, version: string | undefined, algorithm: SignatureAlgorithm, digest: Uint8Array, signature: Uint8Array): Promise<boolean>;
  /** 1 to 128 bytes from the vault's generator. */
  getRandomBytes(count: number): Promise<Uint8Array>;
  /** Releases files and sockets. Idempotent. */
  close(): Promise<void>;
}
