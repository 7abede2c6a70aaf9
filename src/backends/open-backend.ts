import type { TokenCredential } from "@azure/core-auth";
import { readFileSync } from "node:fs";
import { credentialFor } from "../auth/credential-for.js";
import { ConfigurationError } from "../core/errors.js";
import { backupKeyPath } from "../settings/paths.js";
import type { VaultTarget } from "../settings/vault-target.js";
import type { SecretsBackend } from "./backend.js";
import type { CertificatesBackend } from "./certificates-backend.js";
import type { KeyVaultBackendOptions } from "./keyvault-backend.js";
import type { KeysBackend } from "./keys-backend.js";
import { LocalBackend } from "./local-backend.js";
import { LocalVaultHandle } from "./local-vault-handle.js";

export interface OpenBackendOptions {
  credential?: TokenCredential;
  env?: NodeJS.ProcessEnv;
  /** See GetSecretsClientOptions.createLocalVault. */
  createLocalVault?: boolean;
}

/**
 * A target opened once, serving every kind: one local file handle (local-vault-handle.ts) or one
 * credential for Key Vault. `secrets` now; `keys` and `certificates` join it on the same handle or
 * credential, so a program that reads secrets and signs with keys opens the vault once.
 */
export interface OpenedBackend {
  readonly vaultUrl: string;
  readonly secrets: SecretsBackend;
  /** The keys backend on the same file handle or credential, made on first call (the keys SDK loads then). */
  keys(): Promise<KeysBackend>;
  /** The certificates backend, likewise (a certificate's secret is read through `secrets`). */
  certificates(): Promise<CertificatesBackend>;
  close(): Promise<void>;
}

/** Opens a resolved target. Only the Key Vault path loads the Azure SDK. */
export async function openTarget(target: VaultTarget, options: OpenBackendOptions = {}): Promise<OpenedBackend> {
  if (target.kind === "local") {
    const env = options.env ?? process.env;
    // One backup key per installation: a backup restores into any local vault (or served one) of it.
    const handle = new LocalVaultHandle({
      path: target.path,
      backupKeyFile: backupKeyPath(env),
      createOnlyToWrite: target.explicit === true && options.createLocalVault !== true,
      ...(options.env ? { env: options.env } : {}),
    });
    // The keys and certificates backends (and the crypto operations under them) load on first
    // use, as the Key Vault ones below do: a secrets command needs neither.
    let keys: Promise<KeysBackend> | undefined;
    let certificates: Promise<CertificatesBackend> | undefined;
    return {
      vaultUrl: handle.vaultUrl,
      secrets: new LocalBackend(handle),
      keys: () => (keys ??= import("./keys-local-backend.js").then(({ LocalKeysBackend }) => new LocalKeysBackend(handle))),
      certificates: () => (certificates ??= import("./certificates-local-backend.js").then(({ LocalCertificatesBackend }) => new LocalCertificatesBackend(handle))),
      close: async () => handle.close(),
    };
  }
  const { KeyVaultBackend } = await import("./keyvault-backend.js");
  const credential = options.credential ?? (await credentialFor(target, options.env ?? process.env)).credential;
  const sdkOptions: KeyVaultBackendOptions =
    target.kind === "azure"
      ? { vaultUrl: target.vaultUrl, credential }
      : {
          vaultUrl: target.vaultUrl,
          credential,
          disableChallengeResourceVerification: true,
          // A local server makes a deletion visible at once; polling at the SDK's 2 s would only add waiting.
          pollIntervalMs: 50,
          ...(target.caFile ? { ca: readCa(target.caFile, target.environment) } : {}),
        };
  const secrets = await KeyVaultBackend.create(sdkOptions);
  let keys: Promise<KeysBackend> | undefined;
  const openKeys = (): Promise<KeysBackend> =>
    (keys ??= import("./keys-keyvault-backend.js").then(({ KeyVaultKeysBackend }) => KeyVaultKeysBackend.create(sdkOptions)));
  let certificates: Promise<CertificatesBackend> | undefined;
  const openCertificates = (): Promise<CertificatesBackend> =>
    (certificates ??= import("./certificates-keyvault-backend.js").then(({ KeyVaultCertificatesBackend }) => KeyVaultCertificatesBackend.create(sdkOptions)));
  return {
    vaultUrl: target.vaultUrl,
    secrets,
    keys: openKeys,
    certificates: openCertificates,
    async close() {
      await secrets.close();
      if (keys) await (await keys.catch(() => undefined))?.close();
      if (certificates) await (await certificates.catch(() => undefined))?.close();
    },
  };
}

/** The secrets backend of a resolved target (see {@link openTarget}). */
export async function openBackend(target: VaultTarget, options: OpenBackendOptions = {}): Promise<SecretsBackend> {
  return (await openTarget(target, options)).secrets;
}

/**
 * The keys backend of a resolved target. Its `close` releases what it holds (the local file
 * handle; the SDK clients hold nothing), so a keys-only caller need not keep the opened target.
 */
export async function openKeysBackend(target: VaultTarget, options: OpenBackendOptions = {}): Promise<KeysBackend> {
  return (await openTarget(target, options)).keys();
}

function readCa(file: string, environment: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ConfigurationError(
      `Cannot read the CA file ${file} of environment '${environment}' (${(error as NodeJS.ErrnoException).code ?? "error"}). ` +
        `Point ca_file at the CA that 'orbitra vault serve' printed.`,
    );
  }
}
