import type { SecretsBackend } from "../backends/backend.js";
import type { SecretStr } from "../core/secret-str.js";
import type {
  DeletedSecretProperties,
  SecretBundle,
  SecretProperties,
  SecretPropertiesUpdate,
  SetSecretOptions,
} from "../core/types.js";
import type { SecretCache } from "./cache.js";

/**
 * A backend with a {@link SecretCache} in front of `getSecret`. Every change this client makes
 * drops the name from the cache before and after the call: before, so that reads in flight are
 * not stored; after, so that a read that started during the change is not kept either.
 */
export class CachingBackend implements SecretsBackend {
  readonly vaultUrl: string;
  readonly #inner: SecretsBackend;
  readonly #cache: SecretCache;
  /** The inner backend's, when it has one: names hold no value, so there is nothing to cache. */
  readonly listSecretNames?: () => AsyncIterable<string>;
  readonly listSecretsByName?: () => AsyncIterable<SecretProperties>;

  constructor(inner: SecretsBackend, cache: SecretCache) {
    this.#inner = inner;
    this.#cache = cache;
    this.vaultUrl = inner.vaultUrl;
    if (inner.listSecretNames) this.listSecretNames = () => inner.listSecretNames!();
    if (inner.listSecretsByName) this.listSecretsByName = () => inner.listSecretsByName!();
  }

  vaultTime(): Date | undefined {
    return this.#inner.vaultTime?.();
  }

  getSecret(name: string, version?: string, options?: { abortSignal?: AbortSignal }): Promise<SecretBundle> {
    // Concurrent readers share one request, so one reader's abort must not cancel it for the
    // others: the aborting reader just stops waiting.
    const shared = this.#cache.read(name, version, () => this.#inner.getSecret(name, version));
    const signal = options?.abortSignal;
    if (!signal) return shared;
    signal.throwIfAborted();
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      shared.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  setSecret(name: string, value: SecretStr, options?: SetSecretOptions): Promise<SecretProperties> {
    return this.#changing(name, () => this.#inner.setSecret(name, value, options));
  }

  updateSecretProperties(name: string, version: string | undefined, update: SecretPropertiesUpdate): Promise<SecretProperties> {
    return this.#changing(name, () => this.#inner.updateSecretProperties(name, version, update));
  }

  deleteSecret(name: string): Promise<DeletedSecretProperties> {
    return this.#changing(name, () => this.#inner.deleteSecret(name));
  }

  recoverDeletedSecret(name: string): Promise<SecretProperties> {
    return this.#changing(name, () => this.#inner.recoverDeletedSecret(name));
  }

  purgeDeletedSecret(name: string): Promise<void> {
    return this.#changing(name, () => this.#inner.purgeDeletedSecret(name));
  }

  async restoreSecretBackup(backup: Uint8Array): Promise<SecretProperties> {
    // The name is inside the blob: learn it from the answer. (A failed restore changed nothing.)
    const restored = await this.#inner.restoreSecretBackup(backup);
    this.#cache.invalidate(restored.name);
    return restored;
  }

  listSecrets(): AsyncIterable<SecretProperties> {
    return this.#inner.listSecrets();
  }

  listSecretVersions(name: string): AsyncIterable<SecretProperties> {
    return this.#inner.listSecretVersions(name);
  }

  getDeletedSecret(name: string): Promise<DeletedSecretProperties> {
    return this.#inner.getDeletedSecret(name);
  }

  listDeletedSecrets(): AsyncIterable<DeletedSecretProperties> {
    return this.#inner.listDeletedSecrets();
  }

  backupSecret(name: string): Promise<Uint8Array> {
    return this.#inner.backupSecret(name);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  async #changing<T>(name: string, change: () => Promise<T>): Promise<T> {
    this.#cache.invalidate(name);
    try {
      return await change();
    } finally {
      this.#cache.invalidate(name);
    }
  }
}
