import type { SecretStr } from "../core/secret-str.js";
import type {
  DeletedSecretProperties,
  SecretBundle,
  SecretProperties,
  SecretPropertiesUpdate,
  SetSecretOptions,
} from "../core/types.js";
import type { LocalVault } from "../store/local-vault.js";
import type { Page, PageRequest, StoredSecret } from "../store/types.js";
import type { SecretsBackend } from "./backend.js";
import { inLocalWords, type LocalOperation } from "./local-messages.js";
import { pages } from "./local-pages.js";
import { LocalVaultHandle, type LocalVaultHandleOptions } from "./local-vault-handle.js";
import { toDeletedSecretProperties, toSecretProperties } from "./properties.js";

export type LocalBackendOptions = LocalVaultHandleOptions;

/**
 * The embedded store's secrets, in-process. The store is synchronous; the interface stays async
 * for parity. The file is opened on first use (local-vault-handle.ts), and may be shared with the
 * target's other kinds.
 */
export class LocalBackend implements SecretsBackend {
  readonly vaultUrl: string;
  readonly #handle: LocalVaultHandle;

  constructor(vault: LocalVault | LocalBackendOptions | LocalVaultHandle) {
    this.#handle = vault instanceof LocalVaultHandle ? vault : new LocalVaultHandle(vault);
    this.vaultUrl = this.#handle.vaultUrl;
  }

  static open(options: LocalBackendOptions): LocalBackend {
    return new LocalBackend(options);
  }

  /** The store; `write` says whether this operation may create a missing file the user named. */
  #store(write = false): LocalVault {
    return this.#handle.vault(write);
  }

  get #vault(): LocalVault {
    return this.#store();
  }

  async setSecret(name: string, value: SecretStr, options: SetSecretOptions = {}): Promise<SecretProperties> {
    return worded("read", name, undefined, () => toSecretProperties(this.#store(true).secrets.setSecret(name, value, options), this.vaultUrl));
  }

  async getSecret(name: string, version?: string, options: { abortSignal?: AbortSignal } = {}): Promise<SecretBundle> {
    options.abortSignal?.throwIfAborted();
    const { secret, value } = worded("read", name, version, () => this.#vault.secrets.getSecret(name, version));
    return { properties: toSecretProperties(secret, this.vaultUrl), value: value.length === 0 ? null : value };
  }

  async updateSecretProperties(
    name: string,
    version: string | undefined,
    update: SecretPropertiesUpdate,
  ): Promise<SecretProperties> {
    return worded("read", name, version, () => toSecretProperties(this.#vault.secrets.updateSecretProperties(name, version, update), this.vaultUrl));
  }

  listSecrets(): AsyncIterable<SecretProperties> {
    return this.#latestProperties((page) => this.#vault.secrets.listSecrets(page));
  }

  listSecretsByName(): AsyncIterable<SecretProperties> {
    return this.#latestProperties((page) => this.#vault.secrets.listSecretsByName(page));
  }

  async *#latestProperties(read: (page: PageRequest) => Page<StoredSecret>): AsyncIterable<SecretProperties> {
    for (const item of pages(read)) yield toSecretProperties(item, this.vaultUrl, false);
  }

  async *listSecretNames(): AsyncIterable<string> {
    yield* pages((page) => this.#vault.secrets.listSecretNames(page));
  }

  async *listSecretVersions(name: string): AsyncIterable<SecretProperties> {
    for (const item of pages((page) => this.#vault.secrets.listSecretVersions(name, page))) {
      yield toSecretProperties(item, this.vaultUrl);
    }
  }

  async deleteSecret(name: string): Promise<DeletedSecretProperties> {
    return worded("read", name, undefined, () => toDeletedSecretProperties(this.#vault.secrets.deleteSecret(name), this.vaultUrl));
  }

  async getDeletedSecret(name: string): Promise<DeletedSecretProperties> {
    return worded("deleted", name, undefined, () => toDeletedSecretProperties(this.#vault.secrets.getDeletedSecret(name), this.vaultUrl));
  }

  async *listDeletedSecrets(): AsyncIterable<DeletedSecretProperties> {
    for (const item of pages((page) => this.#vault.secrets.listDeletedSecrets(page))) {
      yield toDeletedSecretProperties(item, this.vaultUrl);
    }
  }

  async recoverDeletedSecret(name: string): Promise<SecretProperties> {
    return worded("deleted", name, undefined, () => toSecretProperties(this.#vault.secrets.recoverDeletedSecret(name), this.vaultUrl));
  }

  async purgeDeletedSecret(name: string): Promise<void> {
    worded("deleted", name, undefined, () => this.#vault.secrets.purgeDeletedSecret(name));
  }

  async backupSecret(name: string): Promise<Uint8Array> {
    return worded("read", name, undefined, () => new Uint8Array(this.#vault.secrets.backupSecret(name)));
  }

  async restoreSecretBackup(backup: Uint8Array): Promise<SecretProperties> {
    return toSecretProperties(this.#store(true).secrets.restoreSecretBackup(backup), this.vaultUrl);
  }

  async close(): Promise<void> {
    this.#handle.close();
  }
}

/** Runs a store call, its errors in the local vault's own words (local-messages.ts). */
function worded<T>(operation: LocalOperation, name: string, version: string | undefined, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw inLocalWords(error, operation, name, version);
  }
}
