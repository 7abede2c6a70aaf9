import type { CreateKeyOptions, DeletedKey, ImportKeyOptions, KeyProperties, KeyPropertiesUpdate, KeyRotationPolicy, KeyVaultKey } from "../core/key-types.js";
import { getRandomBytes } from "../crypto/operations.js";
import type { EncryptionAlgorithm, JsonWebKey, SignatureAlgorithm } from "../crypto/types.js";
import type { KeyStore, StoredCryptoResult, StoredKeyAttributes, StoredKeyUpdate } from "../store/keys/types.js";
import { keyId, toDeletedKey, toDeletedKeyProperties, toKeyProperties, toKeyVaultKey } from "./key-properties.js";
import type { DeletedKeyProperties, KeyCryptoRequest, KeyCryptoResult, KeysBackend } from "./keys-backend.js";
import { inLocalWords, type LocalOperation } from "./local-messages.js";
import { pages } from "./local-pages.js";
import type { LocalVaultHandle } from "./local-vault-handle.js";

const seconds = (d: Date | undefined): number | undefined => (d === undefined ? undefined : Math.floor(d.getTime() / 1000));

/** The model's attributes in the store's terms (Unix seconds), absent members left out. */
function storedAttributes(options: CreateKeyOptions | ImportKeyOptions | KeyPropertiesUpdate): StoredKeyAttributes & StoredKeyUpdate {
  const out: StoredKeyAttributes & StoredKeyUpdate = {};
  if (options.enabled !== undefined) out.enabled = options.enabled;
  if (options.notBefore !== undefined) out.notBefore = seconds(options.notBefore)!;
  if (options.expiresOn !== undefined) out.expiresOn = seconds(options.expiresOn)!;
  if ("exportable" in options && options.exportable !== undefined) out.exportable = options.exportable;
  if (options.tags !== undefined) out.tags = { ...options.tags };
  if ("keyOps" in options && options.keyOps !== undefined) out.keyOps = [...options.keyOps];
  return out;
}

/**
 * The embedded store's keys, in-process: `vault.keys` of the target's one file handle (shared with
 * its secrets, local-vault-handle.ts). Crypto runs in this process on node:crypto, with the store's
 * checks (key_ops, enabled, nbf/exp); private material never leaves the store.
 */
export class LocalKeysBackend implements KeysBackend {
  readonly vaultUrl: string;
  readonly #handle: LocalVaultHandle;

  constructor(handle: LocalVaultHandle) {
    this.#handle = handle;
    this.vaultUrl = handle.vaultUrl;
  }

  #keys(write = false): KeyStore {
    return this.#handle.vault(write).keys;
  }

  async createKey(name: string, options: CreateKeyOptions): Promise<KeyVaultKey> {
    const spec = {
      ...storedAttributes(options),
      kty: options.keyType,
      ...(options.keySize !== undefined ? { keySize: options.keySize } : {}),
      ...(options.publicExponent !== undefined ? { publicExponent: options.publicExponent } : {}),
      ...(options.curve !== undefined ? { crv: options.curve } : {}),
    };
    return this.#key(await worded("read", name, undefined, () => this.#keys(true).createKey(name, spec)));
  }

  async importKey(name: string, jwk: JsonWebKey, options: ImportKeyOptions = {}): Promise<KeyVaultKey> {
    const attributes = { ...storedAttributes(options), ...(options.hardwareProtected !== undefined ? { hsm: options.hardwareProtected } : {}) };
    return this.#key(await worded("read", name, undefined, () => this.#keys(true).importKey(name, jwk, attributes)));
  }

  async getKey(name: string, version?: string): Promise<KeyVaultKey> {
    return this.#key(await worded("read", name, version, () => this.#keys().getKey(name, version)));
  }

  async updateKeyProperties(name: string, version: string | undefined, update: KeyPropertiesUpdate): Promise<KeyVaultKey> {
    return this.#key(await worded("read", name, version, () => this.#keys().updateKeyProperties(name, version, storedAttributes(update))));
  }

  async *listKeys(): AsyncIterable<KeyProperties> {
    for (const item of pages((page) => this.#keys().listKeys(page))) yield toKeyProperties(item, this.vaultUrl, false);
  }

  async *listKeyVersions(name: string): AsyncIterable<KeyProperties> {
    for (const item of pages((page) => this.#keys().listKeyVersions(name, page))) yield toKeyProperties(item, this.vaultUrl);
  }

  async deleteKey(name: string): Promise<DeletedKey> {
    return toDeletedKey(await worded("read", name, undefined, () => this.#keys().deleteKey(name)), this.vaultUrl);
  }

  async getDeletedKey(name: string): Promise<DeletedKey> {
    return toDeletedKey(await worded("deleted", name, undefined, () => this.#keys().getDeletedKey(name)), this.vaultUrl);
  }

  async *listDeletedKeys(): AsyncIterable<DeletedKeyProperties> {
    for (const item of pages((page) => this.#keys().listDeletedKeys(page))) yield toDeletedKeyProperties(item, this.vaultUrl);
  }

  async recoverDeletedKey(name: string): Promise<KeyVaultKey> {
    return this.#key(await worded("deleted", name, undefined, () => this.#keys().recoverDeletedKey(name)));
  }

  async purgeDeletedKey(name: string): Promise<void> {
    await worded("deleted", name, undefined, () => this.#keys().purgeDeletedKey(name));
  }

  async backupKey(name: string): Promise<Uint8Array> {
    return new Uint8Array(await worded("read", name, undefined, () => this.#keys().backupKey(name)));
  }

  async restoreKeyBackup(backup: Uint8Array): Promise<KeyVaultKey> {
    return this.#key(this.#keys(true).restoreKeyBackup(backup));
  }

  async rotateKey(name: string): Promise<KeyVaultKey> {
    return this.#key(await worded("read", name, undefined, () => this.#keys().rotateKey(name)));
  }

  async getKeyRotationPolicy(name: string): Promise<KeyRotationPolicy> {
    return worded("read", name, undefined, () => this.#keys().getRotationPolicy(name));
  }

  async updateKeyRotationPolicy(name: string, policy: KeyRotationPolicy): Promise<KeyRotationPolicy> {
    return worded("read", name, undefined, () => this.#keys().setRotationPolicy(name, policy));
  }

  async encrypt(name: string, version: string | undefined, request: KeyCryptoRequest): Promise<KeyCryptoResult> {
    return this.#crypto(name, version, request.algorithm, () => this.#keys().encrypt(name, version, storeRequest(request)));
  }

  async decrypt(name: string, version: string | undefined, request: KeyCryptoRequest): Promise<KeyCryptoResult> {
    return this.#crypto(name, version, request.algorithm, () => this.#keys().decrypt(name, version, storeRequest(request)));
  }

  async wrapKey(name: string, version: string | undefined, algorithm: EncryptionAlgorithm, key: Uint8Array): Promise<KeyCryptoResult> {
    return this.#crypto(name, version, algorithm, () => this.#keys().wrapKey(name, version, { alg: algorithm, value: key }));
  }

  async unwrapKey(name: string, version: string | undefined, algorithm: EncryptionAlgorithm, wrapped: Uint8Array): Promise<KeyCryptoResult> {
    return this.#crypto(name, version, algorithm, () => this.#keys().unwrapKey(name, version, { alg: algorithm, value: wrapped }));
  }

  async sign(name: string, version: string | undefined, algorithm: SignatureAlgorithm, digest: Uint8Array): Promise<KeyCryptoResult> {
    return this.#crypto(name, version, algorithm, () => this.#keys().sign(name, version, algorithm, digest));
  }

  async verify(name: string, version: string | undefined, algorithm: SignatureAlgorithm, digest: Uint8Array, signature: Uint8Array): Promise<boolean> {
    return worded("read", name, version, () => this.#keys().verify(name, version, algorithm, digest, signature));
  }

  async getRandomBytes(count: number): Promise<Uint8Array> {
    return getRandomBytes(count);
  }

  async close(): Promise<void> {
    this.#handle.close();
  }

  #key(stored: Parameters<typeof toKeyVaultKey>[0]): KeyVaultKey {
    return toKeyVaultKey(stored, this.vaultUrl);
  }

  async #crypto(
    name: string,
    version: string | undefined,
    algorithm: EncryptionAlgorithm | SignatureAlgorithm,
    run: () => Promise<StoredCryptoResult>,
  ): Promise<KeyCryptoResult> {
    const done = await worded("read", name, version, run);
    return {
      result: done.result,
      keyId: keyId(this.vaultUrl, name, done.version),
      algorithm,
      ...(done.iv ? { iv: done.iv } : {}),
      ...(done.authenticationTag ? { authenticationTag: done.authenticationTag } : {}),
      ...(done.additionalAuthenticatedData ? { additionalAuthenticatedData: done.additionalAuthenticatedData } : {}),
    };
  }
}

function storeRequest(request: KeyCryptoRequest) {
  return {
    alg: request.algorithm,
    value: request.value,
    ...(request.iv ? { iv: request.iv } : {}),
    ...(request.additionalAuthenticatedData ? { aad: request.additionalAuthenticatedData } : {}),
    ...(request.authenticationTag ? { tag: request.authenticationTag } : {}),
  };
}

/** Runs a store call (sync or async), its errors in the local vault's own words (local-messages.ts). */
async function worded<T>(operation: LocalOperation, name: string, version: string | undefined, call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw inLocalWords(error, operation, name, version, "key");
  }
}
