import type { TokenCredential } from "@azure/core-auth";
import type { SecretClient, SecretClientOptions } from "@azure/keyvault-secrets";
import { isDisabledRead, latestOf } from "./latest-version.js";
import { SecretStr } from "../core/secret-str.js";
import type { DeletedSecretProperties, SecretBundle, SecretProperties, SecretPropertiesUpdate, SetSecretOptions } from "../core/types.js";
import type { SecretsBackend } from "./backend.js";
import { callSdk, listSdk, pollOptions } from "./sdk-calls.js";
import { fromSdk, fromSdkDeleted } from "./sdk-model.js";
import { sdkPipelineOptions } from "./sdk-options.js";

export interface KeyVaultBackendOptions {
  vaultUrl: string;
  credential: TokenCredential;
  /** PEM of the CA that signed a non-Azure server's certificate (`orbitra vault serve`). */
  ca?: string | Buffer;
  /** Needed for any host that is not `*.vault.azure.net` (see the docs/keyvault-wire.md §3.4). */
  disableChallengeResourceVerification?: boolean;
  /** How often the delete and recover pollers look; the SDK's default is 2000 ms. */
  pollIntervalMs?: number;
  retryOptions?: SecretClientOptions["retryOptions"];
}

/** A vault behind the Key Vault REST API, through the official `SecretClient` and nothing else. */
export class KeyVaultBackend implements SecretsBackend {
  readonly vaultUrl: string;
  readonly #client: SecretClient;
  readonly #pollIntervalMs: number | undefined;
  /** How far the vault's clock is from this machine's, by its last reply's Date header (0: within its resolution). */
  readonly #clock: { offsetMs: number };

  private constructor(client: SecretClient, vaultUrl: string, pollIntervalMs: number | undefined, clock: { offsetMs: number }) {
    this.#client = client;
    this.vaultUrl = vaultUrl;
    this.#pollIntervalMs = pollIntervalMs;
    this.#clock = clock;
  }

  /** Loads the SDK on first use only: it costs hundreds of milliseconds that `local` never pays. */
  static async create(options: KeyVaultBackendOptions): Promise<KeyVaultBackend> {
    const { SecretClient } = await import("@azure/keyvault-secrets");
    const clock = { offsetMs: 0 };
    const client = new SecretClient(options.vaultUrl, options.credential, sdkPipelineOptions(options, clock));
    return new KeyVaultBackend(client, options.vaultUrl, options.pollIntervalMs, clock);
  }

  vaultTime(): Date | undefined {
    return this.#clock.offsetMs === 0 ? undefined : new Date(Date.now() + this.#clock.offsetMs);
  }

  async setSecret(name: string, value: SecretStr, options: SetSecretOptions = {}): Promise<SecretProperties> {
    const secret = await this.#call(name, () => this.#client.setSecret(name, value.reveal(), options));
    return fromSdk(secret.properties);
  }

  async getSecret(name: string, version?: string, options: { abortSignal?: AbortSignal } = {}): Promise<SecretBundle> {
    const secret = await this.#call(name, () =>
      this.#client.getSecret(name, {
        ...(version === undefined ? {} : { version }),
        ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
      }),
    );
    return { properties: fromSdk(secret.properties), value: secret.value ? new SecretStr(secret.value) : null };
  }

  async updateSecretProperties(
    name: string,
    version: string | undefined,
    update: SecretPropertiesUpdate,
  ): Promise<SecretProperties> {
    const target = version ?? (await this.#latestVersion(name));
    const properties = await this.#call(name, () => this.#client.updateSecretProperties(name, target, update));
    return fromSdk(properties);
  }

  async *listSecrets(): AsyncIterable<SecretProperties> {
    yield* this.#list(undefined, () => this.#client.listPropertiesOfSecrets(), (p) => fromSdk(p, false));
  }

  async *listSecretVersions(name: string): AsyncIterable<SecretProperties> {
    yield* this.#list(name, () => this.#client.listPropertiesOfSecretVersions(name), (p) => fromSdk(p));
  }

  async deleteSecret(name: string): Promise<DeletedSecretProperties> {
    const poller = await this.#call(name, () => this.#client.beginDeleteSecret(name, this.#pollOptions()));
    return fromSdkDeleted(await this.#call(name, () => poller.pollUntilDone()));
  }

  async getDeletedSecret(name: string): Promise<DeletedSecretProperties> {
    return fromSdkDeleted(await this.#call(name, () => this.#client.getDeletedSecret(name)));
  }

  async *listDeletedSecrets(): AsyncIterable<DeletedSecretProperties> {
    yield* this.#list(undefined, () => this.#client.listDeletedSecrets(), fromSdkDeleted);
  }

  async recoverDeletedSecret(name: string): Promise<SecretProperties> {
    const poller = await this.#call(name, () => this.#client.beginRecoverDeletedSecret(name, this.#pollOptions()));
    return fromSdk(await this.#call(name, () => poller.pollUntilDone()));
  }

  async purgeDeletedSecret(name: string): Promise<void> {
    await this.#call(name, () => this.#client.purgeDeletedSecret(name));
  }

  async backupSecret(name: string): Promise<Uint8Array> {
    const blob = await this.#call(name, () => this.#client.backupSecret(name));
    return blob ?? new Uint8Array();
  }

  async restoreSecretBackup(backup: Uint8Array): Promise<SecretProperties> {
    return fromSdk(await this.#call(undefined, () => this.#client.restoreSecretBackup(backup)));
  }

  async close(): Promise<void> {
    // The SDK keeps no handles that need closing; sockets are pooled by the HTTP agent.
  }

  /** Key Vault's PATCH needs a version; a disabled latest version cannot be read, so fall back to the list. */
  async #latestVersion(name: string): Promise<string> {
    try {
      const { properties } = await this.getSecret(name);
      return properties.version!;
    } catch (error) {
      if (!isDisabledRead(error)) throw error;
      const versions: SecretProperties[] = [];
      for await (const version of this.listSecretVersions(name)) versions.push(version);
      const latest = latestOf(versions);
      if (!latest) throw error;
      return latest.version!;
    }
  }

  #pollOptions(): { intervalInMs?: number } {
    return pollOptions(this.#pollIntervalMs);
  }

  #call<T>(name: string | undefined, operation: () => Promise<T>): Promise<T> {
    return callSdk(this.vaultUrl, "secret", name, operation);
  }

  #list<S, T>(name: string | undefined, open: () => AsyncIterable<S>, map: (item: S) => T): AsyncIterable<T> {
    return listSdk(this.vaultUrl, "secret", name, open, map);
  }
}
