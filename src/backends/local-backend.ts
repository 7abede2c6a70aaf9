import { resolve } from "node:path";
import type { SecretStr } from "../core/secret-str.js";
import type {
  DeletedSecretProperties,
  SecretBundle,
  SecretProperties,
  SecretPropertiesUpdate,
  SetSecretOptions,
} from "../core/types.js";
import { LocalVault, type OpenVaultOptions } from "../store/local-vault.js";
import type { Page, PageRequest } from "../store/types.js";
import type { SecretsBackend } from "./backend.js";
import { toDeletedSecretProperties, toSecretProperties } from "./properties.js";

/** Listings read the store this many rows at a time, so a huge vault never sits in memory twice. */
const PAGE_SIZE = 500;

export interface LocalBackendOptions extends OpenVaultOptions {
  /**
   * The user named this file (`local:PATH`): only a write may create it, so a typo in a read
   * is an error naming the path instead of a new empty vault, folders and key.
   */
  createOnlyToWrite?: boolean;
}

/**
 * The embedded store, in-process. The store is synchronous; the interface stays async for parity.
 * The file is opened on first use, by a read or a write (which may create it, see options).
 */
export class LocalBackend implements SecretsBackend {
  readonly vaultUrl: string;
  readonly #options: LocalBackendOptions;
  #opened: LocalVault | undefined;

  constructor(vault: LocalVault | LocalBackendOptions) {
    if (vault instanceof LocalVault) {
      this.#opened = vault;
      this.#options = { path: vault.path };
    } else {
      this.#options = vault;
    }
    this.vaultUrl = `local://${resolve(this.#options.path)}`;
  }

  static open(options: LocalBackendOptions): LocalBackend {
    return new LocalBackend(options);
  }

  /** The store; `write` says whether this operation may create a missing file the user named. */
  #store(write = false): LocalVault {
    if (!this.#opened) {
      const { createOnlyToWrite, ...open } = this.#options;
      this.#opened = LocalVault.open({ ...open, create: write || !createOnlyToWrite });
    }
    return this.#opened;
  }

  get #vault(): LocalVault {
    return this.#store();
  }

  async setSecret(name: string, value: SecretStr, options: SetSecretOptions = {}): Promise<SecretProperties> {
    return toSecretProperties(this.#store(true).secrets.setSecret(name, value, options), this.vaultUrl);
  }

  async getSecret(name: string, version?: string, options: { abortSignal?: AbortSignal } = {}): Promise<SecretBundle> {
    options.abortSignal?.throwIfAborted();
    const { secret, value } = this.#vault.secrets.getSecret(name, version);
    return { properties: toSecretProperties(secret, this.vaultUrl), value: value.length === 0 ? null : value };
  }

  async updateSecretProperties(
    name: string,
    version: string | undefined,
    update: SecretPropertiesUpdate,
  ): Promise<SecretProperties> {
    return toSecretProperties(this.#vault.secrets.updateSecretProperties(name, version, update), this.vaultUrl);
  }

  async *listSecrets(): AsyncIterable<SecretProperties> {
    for (const item of pages((page) => this.#vault.secrets.listSecrets(page))) {
      yield toSecretProperties(item, this.vaultUrl, false);
    }
  }

  async *listSecretVersions(name: string): AsyncIterable<SecretProperties> {
    for (const item of pages((page) => this.#vault.secrets.listSecretVersions(name, page))) {
      yield toSecretProperties(item, this.vaultUrl);
    }
  }

  async deleteSecret(name: string): Promise<DeletedSecretProperties> {
    return toDeletedSecretProperties(this.#vault.secrets.deleteSecret(name), this.vaultUrl);
  }

  async getDeletedSecret(name: string): Promise<DeletedSecretProperties> {
    return toDeletedSecretProperties(this.#vault.secrets.getDeletedSecret(name), this.vaultUrl);
  }

  async *listDeletedSecrets(): AsyncIterable<DeletedSecretProperties> {
    for (const item of pages((page) => this.#vault.secrets.listDeletedSecrets(page))) {
      yield toDeletedSecretProperties(item, this.vaultUrl);
    }
  }

  async recoverDeletedSecret(name: string): Promise<SecretProperties> {
    return toSecretProperties(this.#vault.secrets.recoverDeletedSecret(name), this.vaultUrl);
  }

  async purgeDeletedSecret(name: string): Promise<void> {
    this.#vault.secrets.purgeDeletedSecret(name);
  }

  async backupSecret(name: string): Promise<Uint8Array> {
    return new Uint8Array(this.#vault.secrets.backupSecret(name));
  }

  async restoreSecretBackup(backup: Uint8Array): Promise<SecretProperties> {
    return toSecretProperties(this.#store(true).secrets.restoreSecretBackup(backup), this.vaultUrl);
  }

  async close(): Promise<void> {
    this.#opened?.close();
  }
}

function* pages<T>(read: (page: PageRequest) => Page<T>): Generator<T> {
  let after: string | undefined;
  do {
    const page = read(after === undefined ? { limit: PAGE_SIZE } : { after, limit: PAGE_SIZE });
    yield* page.items;
    after = page.next;
  } while (after !== undefined);
}
