import type { DeletedKeyProperties, KeyCryptoResult, KeysBackend } from "../backends/keys-backend.js";
import type {
  CreateKeyOptions,
  DeletedKey,
  ImportKeyOptions,
  KeyProperties,
  KeyPropertiesUpdate,
  KeyRotationPolicy,
  KeyVaultKey,
} from "../core/key-types.js";
import { assertValidName, assertValidVersion, byName } from "../core/rules.js";
import type { DataInput } from "../crypto/data-input.js";
import type { EncryptionAlgorithm, JsonWebKey, KeyType, SignatureAlgorithm } from "../crypto/types.js";
import type { VaultTarget } from "../settings/vault-target.js";
import { collectAll, LazyBackend } from "./lazy-backend.js";
import type { CreateEcKeyOptions, CreateOctKeyOptions, CreateRsaKeyOptions, DecryptOptions, EncryptOptions, KeyVersionOption } from "./keys-options.js";
import {
  decryptEnvelopeStreamWith,
  decryptEnvelopeWith,
  encryptEnvelopeStreamWith,
  encryptEnvelopeWith,
  signDataWith,
  verifyDataWith,
  type EnvelopeOptions,
} from "./key-data.js";
import {
  assertBytes,
  assertEncryptionAlgorithm,
  assertKeyAttributes,
  assertKeyType,
  assertRandomCount,
  assertSignatureAlgorithm,
} from "./key-input.js";

/**
 * The keys of one vault, in Key Vault's terms (the SDK's `KeyClient` and `CryptographyClient` in
 * one), bytes in and out as `Uint8Array`. Every method checks its input before it touches the
 * vault and fails with a typed `OrbitraError`: `KeyNotFound`, `PermissionDenied` (RBAC, or an
 * operation the key's `key_ops`, enabled flag or dates forbid), `InvalidValue` (a wrong algorithm
 * for the key, a malformed JWK), `Conflict` (a deleted-but-recoverable name). Private key material
 * never comes back: a key's JWK holds its public members only.
 */
export class OrbitraKeysClient {
  /** The vault this client talks to, as resolved from arguments and settings. */
  readonly target: VaultTarget;
  readonly #backend: LazyBackend<KeysBackend>;

  /** Prefer {@link getKeysClient}; this is for callers that bring their own backend. */
  constructor(target: VaultTarget, open: () => Promise<KeysBackend>) {
    this.target = target;
    this.#backend = new LazyBackend(open);
  }

  /** A new key, or a new version of it. Needs `keys/create/action`. */
  async createKey(name: string, keyType: KeyType, options: Omit<CreateKeyOptions, "keyType"> = {}): Promise<KeyVaultKey> {
    assertValidName(name, "key");
    assertKeyType(keyType, name);
    assertKeyAttributes(options, name);
    return (await this.#ready()).createKey(name, { ...options, keyType });
  }

  /** An RSA key (`RSA-HSM` with `hsm`). */
  createRsaKey(name: string, { hsm, ...options }: CreateRsaKeyOptions = {}): Promise<KeyVaultKey> {
    return this.createKey(name, hsm ? "RSA-HSM" : "RSA", options);
  }

  /** An EC key (`EC-HSM` with `hsm`). */
  createEcKey(name: string, { hsm, ...options }: CreateEcKeyOptions = {}): Promise<KeyVaultKey> {
    return this.createKey(name, hsm ? "EC-HSM" : "EC", options);
  }

  /** A symmetric AES key (`oct-HSM` with `hsm`); Key Vault keeps these in Managed HSM. */
  createOctKey(name: string, { hsm, ...options }: CreateOctKeyOptions = {}): Promise<KeyVaultKey> {
    return this.createKey(name, hsm ? "oct-HSM" : "oct", options);
  }

  /** Imports a JWK with its private members (base64url, as Key Vault's wire has them). Needs `keys/import/action`. */
  async importKey(name: string, jwk: JsonWebKey, options: ImportKeyOptions = {}): Promise<KeyVaultKey> {
    assertValidName(name, "key");
    assertKeyAttributes(options, name);
    return (await this.#ready()).importKey(name, jwk, options);
  }

  /** The latest (or the given) version, public JWK only. Needs `keys/read/action`. */
  async getKey(name: string, options: KeyVersionOption = {}): Promise<KeyVaultKey> {
    return (await this.#ready()).getKey(...this.#named(name, options));
  }

  /** Every key that is not deleted, latest version's properties, sorted by name. Needs `keys/read/action`. */
  async listKeys(): Promise<KeyProperties[]> {
    return (await collectAll((await this.#ready()).listKeys())).sort(byName);
  }

  /** Every version of one key (empty when the name is unknown). Needs `keys/read/action`. */
  async listKeyVersions(name: string): Promise<KeyProperties[]> {
    assertValidName(name, "key");
    return collectAll((await this.#ready()).listKeyVersions(name));
  }

  /** Changes enabled, dates, tags or key operations of one version (the latest by default). Needs `keys/update/action`. */
  async updateKeyProperties(name: string, update: KeyPropertiesUpdate, options: KeyVersionOption = {}): Promise<KeyVaultKey> {
    const [checked, version] = this.#named(name, options);
    assertKeyAttributes(update, checked);
    return (await this.#ready()).updateKeyProperties(checked, version, update);
  }

  /** Soft-deletes every version and waits until the deletion is visible. Needs `keys/delete`. */
  async deleteKey(name: string): Promise<DeletedKey> {
    assertValidName(name, "key");
    return (await this.#ready()).deleteKey(name);
  }

  async getDeletedKey(name: string): Promise<DeletedKey> {
    assertValidName(name, "key");
    return (await this.#ready()).getDeletedKey(name);
  }

  /** Deleted keys that can still be recovered, sorted by name. */
  async listDeletedKeys(): Promise<DeletedKeyProperties[]> {
    return (await collectAll((await this.#ready()).listDeletedKeys())).sort(byName);
  }

  /** Brings a deleted key back, all versions. Needs `keys/recover/action`. */
  async recoverDeletedKey(name: string): Promise<KeyVaultKey> {
    assertValidName(name, "key");
    return (await this.#ready()).recoverDeletedKey(name);
  }

  /** Removes a deleted key for good. Needs `keys/purge/action`. */
  async purgeDeletedKey(name: string): Promise<void> {
    assertValidName(name, "key");
    await (await this.#ready()).purgeDeletedKey(name);
  }

  /** An opaque blob of every version, for {@link restoreKeyBackup}. Needs `keys/backup/action`. */
  async backupKey(name: string): Promise<Uint8Array> {
    assertValidName(name, "key");
    return (await this.#ready()).backupKey(name);
  }

  /** Restores a backup into this vault; the name must be free. Needs `keys/restore/action`. */
  async restoreKeyBackup(backup: Uint8Array): Promise<KeyVaultKey> {
    assertBytes(backup, "backup");
    return (await this.#ready()).restoreKeyBackup(backup);
  }

  /** A new version with the latest one's parameters (and the rotation policy's expiry). Needs `keys/rotate/action`. */
  async rotateKey(name: string): Promise<KeyVaultKey> {
    assertValidName(name, "key");
    return (await this.#ready()).rotateKey(name);
  }

  async getKeyRotationPolicy(name: string): Promise<KeyRotationPolicy> {
    assertValidName(name, "key");
    return (await this.#ready()).getKeyRotationPolicy(name);
  }

  async updateKeyRotationPolicy(name: string, policy: KeyRotationPolicy): Promise<KeyRotationPolicy> {
    assertValidName(name, "key");
    return (await this.#ready()).updateKeyRotationPolicy(name, policy);
  }

  /** Encrypts one block (RSA) or one message (AES); for data of any size see {@link encryptEnvelope}. */
  async encrypt(name: string, algorithm: EncryptionAlgorithm, plaintext: Uint8Array, options: EncryptOptions = {}): Promise<KeyCryptoResult> {
    const [checked, version] = this.#named(name, options);
    assertEncryptionAlgorithm(algorithm, checked);
    assertBytes(plaintext, "plaintext", checked);
    const request = { algorithm, value: plaintext, iv: options.iv, additionalAuthenticatedData: options.additionalAuthenticatedData };
    return (await this.#ready()).encrypt(checked, version, request);
  }

  async decrypt(name: string, algorithm: EncryptionAlgorithm, ciphertext: Uint8Array, options: DecryptOptions = {}): Promise<KeyCryptoResult> {
    const [checked, version] = this.#named(name, options);
    assertEncryptionAlgorithm(algorithm, checked);
    assertBytes(ciphertext, "ciphertext", checked);
    const { iv, additionalAuthenticatedData, authenticationTag } = options;
    return (await this.#ready()).decrypt(checked, version, { algorithm, value: ciphertext, iv, additionalAuthenticatedData, authenticationTag });
  }

  /** Wraps a key (RSA1_5, RSA-OAEP, RSA-OAEP-256, A*KW). */
  async wrapKey(name: string, algorithm: EncryptionAlgorithm, key: Uint8Array, options: KeyVersionOption = {}): Promise<KeyCryptoResult> {
    const [checked, version] = this.#named(name, options);
    assertEncryptionAlgorithm(algorithm, checked);
    assertBytes(key, "key to wrap", checked);
    return (await this.#ready()).wrapKey(checked, version, algorithm, key);
  }

  async unwrapKey(name: string, algorithm: EncryptionAlgorithm, wrapped: Uint8Array, options: KeyVersionOption = {}): Promise<KeyCryptoResult> {
    const [checked, version] = this.#named(name, options);
    assertEncryptionAlgorithm(algorithm, checked);
    assertBytes(wrapped, "wrapped key", checked);
    return (await this.#ready()).unwrapKey(checked, version, algorithm, wrapped);
  }

  /** Signs a digest (SHA-256/384/512 as the algorithm says); for the data itself see {@link signData}. */
  async sign(name: string, algorithm: SignatureAlgorithm, digest: Uint8Array, options: KeyVersionOption = {}): Promise<KeyCryptoResult> {
    const [checked, version] = this.#named(name, options);
    assertSignatureAlgorithm(algorithm, checked);
    assertBytes(digest, "digest", checked);
    return (await this.#ready()).sign(checked, version, algorithm, digest);
  }

  /** True when `signature` is the key's signature of `digest`; a wrong one is `false`, not an error. */
  async verify(name: string, algorithm: SignatureAlgorithm, digest: Uint8Array, signature: Uint8Array, options: KeyVersionOption = {}): Promise<boolean> {
    const [checked, version] = this.#named(name, options);
    assertSignatureAlgorithm(algorithm, checked);
    assertBytes(digest, "digest", checked);
    assertBytes(signature, "signature", checked);
    return (await this.#ready()).verify(checked, version, algorithm, digest, signature);
  }

  /** Hashes `data` (bytes or a stream) here and has the vault sign the digest, as the SDK's signData. */
  signData(name: string, algorithm: SignatureAlgorithm, data: DataInput, options: KeyVersionOption = {}): Promise<KeyCryptoResult> {
    return signDataWith(this, name, algorithm, data, options);
  }

  verifyData(name: string, algorithm: SignatureAlgorithm, data: DataInput, signature: Uint8Array, options: KeyVersionOption = {}): Promise<boolean> {
    return verifyDataWith(this, name, algorithm, data, signature, options);
  }

  /**
   * Encrypts data of any size (bytes or a stream) in the envelope format of docs/envelope-format.md:
   * a fresh AES-256-GCM data key, wrapped by this key (RSA-OAEP-256 for RSA, A256KW for oct, unless
   * `algorithm` says otherwise). Only the 32-byte data key goes to the vault.
   */
  encryptEnvelope(name: string, data: DataInput, options: EnvelopeOptions = {}): Promise<Uint8Array> {
    return encryptEnvelopeWith(this, name, data, options);
  }

  /**
   * The plaintext of an envelope: the key and version named in its header, in this client's
   * vault, unwrap the data key. Nothing is returned unless every chunk authenticated.
   */
  decryptEnvelope(envelope: DataInput): Promise<Uint8Array> {
    return decryptEnvelopeWith(this, envelope);
  }

  /** {@link encryptEnvelope} as a stream: the header, then each chunk as it is sealed (constant memory). */
  encryptEnvelopeStream(name: string, data: DataInput, options: EnvelopeOptions = {}): AsyncGenerator<Uint8Array> {
    return encryptEnvelopeStreamWith(this, name, data, options);
  }

  /**
   * {@link decryptEnvelope} as a stream, one piece per authenticated chunk. An envelope cut short
   * or altered ends in an error after the good chunks: treat an error as "none of it is trusted".
   */
  decryptEnvelopeStream(envelope: DataInput): AsyncGenerator<Uint8Array> {
    return decryptEnvelopeStreamWith(this, envelope);
  }

  /** 1 to 128 random bytes from the vault. */
  async getRandomBytes(count: number): Promise<Uint8Array> {
    assertRandomCount(count);
    return (await this.#ready()).getRandomBytes(count);
  }

  /** Releases the store or connections. The client can be used again afterwards (it reopens). */
  close(): Promise<void> {
    return this.#backend.close();
  }

  #named(name: string, options: KeyVersionOption): [string, string | undefined] {
    assertValidName(name, "key");
    if (options.version !== undefined) assertValidVersion(options.version);
    return [name, options.version];
  }

  #ready(): Promise<KeysBackend> {
    return this.#backend.ready();
  }
}
