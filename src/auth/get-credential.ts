import { ConfigurationError } from "../core/errors.js";
import type { OrbitraSettings } from "../settings/model.js";
import { loadSettings } from "../settings/load.js";
import { chooseEnvironment, resolveVaultTarget } from "../settings/resolve.js";
import { credentialFor, type ChosenCredential, type CredentialChainOptions } from "./credential-for.js";

export interface GetCredentialOptions extends CredentialChainOptions {
  /** The environment whose settings name the vault (and its tenant and client). Default as getSecretsClient: ORBITRA_ENVIRONMENT, default_environment, then `prod`. */
  environment?: string;
  /** A vault name or `https://` vault URL; wins over settings. */
  keyVault?: string;
  /** Folder to look for `.env` and `orbitra.toml` from; default `process.cwd()`. */
  cwd?: string;
  /** Variables to read settings and credentials from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  settings?: OrbitraSettings;
}

/**
 * The credential orbitra's chain picks for an environment, to hand to other Azure SDK clients
 * (Blob Storage, Service Bus, ...) so that one `orbitra login` or one service principal serves
 * them all. `source` says which link applied (`app-secret`, `managed-identity`, `environment`,
 * `user-login`, `azure-cli`, `device-code`, `interactive-browser`, `open-mode`); never a secret.
 *
 * ```ts
 * const { credential, source } = await getCredential({ environment: "prod" });
 * const blobs = new BlobServiceClient("https://contoso.blob.core.windows.net", credential);
 * ```
 *
 * Throws `AuthenticationError` at once when no link applies (saying what to run), and
 * `ConfigurationError` for an environment on the embedded store, which needs no credential.
 */
export async function getCredential(options: GetCredentialOptions = {}): Promise<ChosenCredential> {
  const env = options.env ?? process.env;
  const settings = options.settings ?? loadSettings({ env, ...(options.cwd !== undefined ? { cwd: options.cwd } : {}) });
  const target = resolveVaultTarget({
    environment: chooseEnvironment(options.environment, settings),
    env,
    ...(options.keyVault !== undefined ? { keyVault: options.keyVault } : {}),
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    settings,
  });
  if (target.kind === "local") {
    throw new ConfigurationError(`Environment '${target.environment}' uses the embedded local store (${target.path}), which needs no credential.`);
  }
  return credentialFor(target, env, {
    ...(options.interactive !== undefined ? { interactive: options.interactive } : {}),
    ...(options.onDeviceCode ? { onDeviceCode: options.onDeviceCode } : {}),
  });
}
