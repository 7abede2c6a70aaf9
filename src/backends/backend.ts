import type { SecretStr } from "../core/secret-str.js";
import type {
  DeletedSecretProperties,
  SecretBundle,
  SecretProperties,
  SecretPropertiesUpdate,
  SetSecretOptions,
} from "../core/types.js";

/**
 * One vault, spoken to in Key Vault's own terms. Two implementations: `LocalBackend` (the embedded
 * store, in-process) and `KeyVaultBackend` (the official SDK, to Azure or to `orbitra vault serve`).
 *
 * Contract (the same test suite runs against both, see test/contract/):
 * - names are validated by the caller; backends may re-check;
 * - every failure is an `OrbitraError` (not found, permission, conflict, throttled, unavailable...);
 * - `getSecret` of a disabled version fails with `PermissionDeniedError` (Key Vault's 403 SecretDisabled);
 * - list items carry no value, and `listSecrets` items carry no version (Key Vault names the secret only);
 * - `deleteSecret` returns once the deletion is complete (the name is in the deleted list).
 */
export interface SecretsBackend {
  /** `https://vault.example` or `local://<path>`; used in ids and messages. */
  readonly vaultUrl: string;

  /**
   * The vault's time, where its replies said it differs from this machine's by more than their
   * one-second resolution (a skewed laptop against Azure, or a test vault whose clock was moved);
   * undefined otherwise, and before any reply. What "expired" is judged by.
   */
  vaultTime?(): Date | undefined;

  /** Writes a new version (a new secret when the name is free). */
  setSecret(name: string, value: SecretStr, options?: SetSecretOptions): Promise<SecretProperties>;
  /** The latest version, or the named one. An abort cancels the request (Key Vault) or refuses to start (local). */
  getSecret(name: string, version?: string, options?: { abortSignal?: AbortSignal }): Promise<SecretBundle>;
  /** Changes one version's properties (the latest when `version` is undefined). */
  updateSecretProperties(name: string, version: string | undefined, update: SecretPropertiesUpdate): Promise<SecretProperties>;
  /** Every secret that is not deleted, latest version's properties, no value. */
  listSecrets(): AsyncIterable<SecretProperties>;
  /**
   * Names of every secret that is not deleted, in code-point order, as the store pages them: a
   * backend that can (the local store) lets a listing stream instead of collecting and sorting.
   */
  listSecretNames?(): AsyncIterable<string>;
  /** `listSecrets` in the order of `listSecretNames`, as they come (optional, like it). */
  listSecretsByName?(): AsyncIterable<SecretProperties>;
  /** Every version of one secret (empty when the name is unknown). */
  listSecretVersions(name: string): AsyncIterable<SecretProperties>;
  /** Soft-deletes every version and waits until the deletion is visible. */
  deleteSecret(name: string): Promise<DeletedSecretProperties>;
  getDeletedSecret(name: string): Promise<DeletedSecretProperties>;
  listDeletedSecrets(): AsyncIterable<DeletedSecretProperties>;
  /** Brings a deleted secret back with all its versions and waits until it is readable. */
  recoverDeletedSecret(name: string): Promise<SecretProperties>;
  /** Removes a deleted secret for good. */
  purgeDeletedSecret(name: string): Promise<void>;
  /** An opaque blob holding every version; only a vault of the same kind and key can restore it. */
  backupSecret(name: string): Promise<Uint8Array>;
  restoreSecretBackup(backup: Uint8Array): Promise<SecretProperties>;
  /** Releases files, sockets and timers. Idempotent. */
  close(): Promise<void>;
}
