import { SecretNotFoundError } from "../core/errors.js";
import { assertValidName, assertValidVersion, byName } from "../core/rules.js";
import { SecretStr } from "../core/secret-str.js";
import type {
  DeletedSecretProperties,
  SecretBundle,
  SecretProperties,
  SecretPropertiesUpdate,
  SetSecretOptions,
} from "../core/types.js";
import { assertValidAttributes, plainValue } from "../core/validate-options.js";
import type { SecretsBackend } from "../backends/backend.js";
import { isDisabledRead, latestOf } from "../backends/latest-version.js";
import type { VaultTarget } from "../settings/vault-target.js";
import { getSecrets, writeSecrets, type BulkOptions, type GetSecretsOptions } from "./bulk.js";
import { createSecretCache, type SecretCache, type SecretCacheOptions } from "./cache.js";
import { CachingBackend } from "./caching-backend.js";
import { collectAll, LazyBackend } from "./lazy-backend.js";

/** Options of {@link OrbitraSecretsClient}'s constructor. */
export interface OrbitraSecretsClientOptions {
  /** Opt-in read cache: `true` for the defaults, options, or a {@link SecretCache} to inspect. */
  cache?: SecretCache | SecretCacheOptions | boolean;
}

export interface VersionOption {
  /** A 32-hex version id; the latest version when absent. */
  version?: string;
  /** Reads only: gives up the read, cancelling the request to Key Vault, when aborted. */
  abortSignal?: AbortSignal;
}

/**
 * The secrets of one vault. Every method validates names and values before it touches the vault,
 * and fails with a typed `OrbitraError` (see `code`). Values come back as {@link SecretStr}.
 *
 * Key Vault permissions (RBAC data actions) each method needs are named per method.
 */
export class OrbitraSecretsClient {
  /** The vault this client talks to, as resolved from arguments and settings. */
  readonly target: VaultTarget;
  readonly #backend: LazyBackend<SecretsBackend>;

  /** The read cache, when the client was made with one. */
  readonly cache: SecretCache | undefined;

  /** Prefer {@link getSecretsClient}; this is for callers that bring their own backend. */
  constructor(target: VaultTarget, open: () => Promise<SecretsBackend>, options: OrbitraSecretsClientOptions = {}) {
    this.target = target;
    const cache = createSecretCache(options.cache);
    this.cache = cache;
    this.#backend = new LazyBackend(cache ? async () => new CachingBackend(await open(), cache) : open);
  }

  /**
   * The value of the latest (or the given) version; `null` when the secret holds an empty value.
   * Throws `SecretNotFoundError` (code `SecretNotFound`) when it does not exist, `PermissionDeniedError`
   * when access is denied or the version is disabled. Needs `secrets/getSecret/action`.
   */
  async getSecret(name: string, options: VersionOption = {}): Promise<SecretStr | null> {
    return (await this.getSecretBundle(name, options)).value;
  }

  /** The value and properties of the latest (or the given) version. Needs `secrets/getSecret/action`. */
  async getSecretBundle(name: string, options: VersionOption = {}): Promise<SecretBundle> {
    assertValidName(name);
    if (options.version !== undefined) assertValidVersion(options.version);
    return (await this.#backendReady()).getSecret(name, options.version, options.abortSignal ? { abortSignal: options.abortSignal } : {});
  }

  /**
   * Properties without the value; works on a disabled version too (through the version list,
   * since Key Vault refuses to read a disabled one). Needs `getSecret/action` or `readMetadata/action`.
   */
  async getSecretProperties(name: string, options: VersionOption = {}): Promise<SecretProperties> {
    try {
      return (await this.getSecretBundle(name, options)).properties;
    } catch (error) {
      if (!isDisabledRead(error)) throw error;
      const versions = await this.listSecretVersions(name);
      const found = options.version
        ? versions.find((v) => v.version?.toLowerCase() === options.version!.toLowerCase())
        : latestOf(versions);
      if (!found) throw new SecretNotFoundError(`Secret ${name} has no such version.`, { secretName: name });
      return found;
    }
  }

  /**
   * Names of every secret that is not deleted, sorted by code point as Python's `sorted()` does
   * in the original. Needs `secrets/readMetadata/action`.
   */
  async listSecrets(): Promise<string[]> {
    return collectAll(this.secretNames());
  }

  /**
   * The names of {@link listSecrets}, in the same order, as they come: from the local store a page
   * at a time (the first at once, never more than a page held); from Key Vault, whose order is
   * its own, after all have arrived and been sorted.
   */
  async *secretNames(): AsyncIterable<string> {
    const backend = await this.#backendReady();
    if (backend.listSecretNames) {
      yield* backend.listSecretNames();
      return;
    }
    for (const p of (await collectAll(backend.listSecrets())).sort(byName)) yield p.name;
  }

  /**
   * The properties of {@link listSecretProperties}, sorted by name as {@link listSecrets} is, as
   * they come: from the local store a page at a time; from Key Vault after all have arrived.
   */
  async *secretPropertiesByName(): AsyncIterable<SecretProperties> {
    const backend = await this.#backendReady();
    if (backend.listSecretsByName) {
      yield* backend.listSecretsByName();
      return;
    }
    yield* (await collectAll(backend.listSecrets())).sort(byName);
  }

  /** Properties of every secret (latest version, no version id, no value). Needs `readMetadata/action`. */
  async listSecretProperties(): Promise<SecretProperties[]> {
    return collectAll((await this.#backendReady()).listSecrets());
  }

  /** Every version of a secret, no values. Needs `secrets/readMetadata/action`. */
  async listSecretVersions(name: string): Promise<SecretProperties[]> {
    assertValidName(name);
    return collectAll((await this.#backendReady()).listSecretVersions(name));
  }

  /**
   * Creates the secret, or a new version of it. A name held by a deleted-but-recoverable secret
   * gives `ConflictError`: recover or purge it first. Needs `secrets/setSecret/action`.
   */
  async writeSecret(name: string, value: SecretStr | string, options: SetSecretOptions = {}): Promise<SecretProperties> {
    assertValidName(name);
    const plain = plainValue(value, name);
    const secret = typeof value === "string" ? new SecretStr(plain) : (value as SecretStr);
    assertValidAttributes(options, name);
    return (await this.#backendReady()).setSecret(name, secret, options);
  }

  /** Changes enabled, dates, content type or tags of one version (the latest by default). Needs `secrets/update/action`. */
  async updateSecretProperties(
    name: string,
    update: SecretPropertiesUpdate,
    options: VersionOption = {},
  ): Promise<SecretProperties> {
    assertValidName(name);
    if (options.version !== undefined) assertValidVersion(options.version);
    assertValidAttributes(update, name);
    return (await this.#backendReady()).updateSecretProperties(name, options.version, update);
  }

  /**
   * Soft-deletes every version and waits until the deletion is complete. Not found:
   * `SecretNotFoundError`. Needs `secrets/delete`.
   */
  async deleteSecret(name: string): Promise<DeletedSecretProperties> {
    assertValidName(name);
    return (await this.#backendReady()).deleteSecret(name);
  }

  /** Deleted secrets that can still be recovered. Needs `secrets/readMetadata/action`. */
  async listDeletedSecrets(): Promise<DeletedSecretProperties[]> {
    const deleted = await collectAll((await this.#backendReady()).listDeletedSecrets());
    return deleted.sort(byName);
  }

  /** One deleted secret. Needs `secrets/readMetadata/action`. */
  async getDeletedSecret(name: string): Promise<DeletedSecretProperties> {
    assertValidName(name);
    return (await this.#backendReady()).getDeletedSecret(name);
  }

  /** Brings a deleted secret back, all versions, and waits until it is readable. Needs `secrets/recover/action`. */
  async recoverDeletedSecret(name: string): Promise<SecretProperties> {
    assertValidName(name);
    return (await this.#backendReady()).recoverDeletedSecret(name);
  }

  /** Removes a deleted secret for good. Needs `secrets/purge/action`. */
  async purgeDeletedSecret(name: string): Promise<void> {
    assertValidName(name);
    await (await this.#backendReady()).purgeDeletedSecret(name);
  }

  /** An opaque blob with every version, for {@link restoreSecretBackup}. Needs `secrets/backup/action`. */
  async backupSecret(name: string): Promise<Uint8Array> {
    assertValidName(name);
    return (await this.#backendReady()).backupSecret(name);
  }

  /** Restores a backup into this vault; the name must be free. Needs `secrets/restore/action`. */
  async restoreSecretBackup(backup: Uint8Array): Promise<SecretProperties> {
    return (await this.#backendReady()).restoreSecretBackup(backup);
  }

  /**
   * Reads many secrets at once, with bounded concurrency under the vault's rate limit; see
   * {@link getSecrets} in `bulk.ts` for every option. `null` values are secrets holding the empty
   * string. Needs `secrets/getSecret/action`.
   */
  getSecrets(names: Iterable<string>, options: GetSecretsOptions = {}): Promise<Map<string, SecretStr | null>> {
    return getSecrets(this, names, options);
  }

  /**
   * Writes many secrets at once, paced under Key Vault's create limit; see {@link writeSecrets}
   * in `bulk.ts`. Needs `secrets/setSecret/action`.
   */
  writeSecrets(
    entries: Iterable<readonly [string, SecretStr | string]>,
    options: BulkOptions & { setOptions?: SetSecretOptions } = {},
  ): Promise<Map<string, SecretProperties>> {
    return writeSecrets(this, entries, options);
  }

  /**
   * Now, by the vault's clock where its last reply showed that it differs from this machine's
   * (Key Vault's `Date` header), else by this machine's. Key Vault serves expired secrets; this
   * is the time to judge `expiresOn` against.
   */
  async vaultTime(): Promise<Date> {
    return (await this.#backendReady()).vaultTime?.() ?? new Date();
  }

  /** Releases the store or connections. The client can be used again afterwards (it reopens). */
  close(): Promise<void> {
    return this.#backend.close();
  }

  #backendReady(): Promise<SecretsBackend> {
    return this.#backend.ready();
  }
}
