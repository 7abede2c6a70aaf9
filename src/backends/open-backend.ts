import type { TokenCredential } from "@azure/core-auth";
import { readFileSync } from "node:fs";
import { credentialFor } from "../auth/credential-for.js";
import { ConfigurationError } from "../core/errors.js";
import { backupKeyPath } from "../settings/paths.js";
import type { VaultTarget } from "../settings/vault-target.js";
import type { SecretsBackend } from "./backend.js";
import { LocalBackend } from "./local-backend.js";

export interface OpenBackendOptions {
  credential?: TokenCredential;
  env?: NodeJS.ProcessEnv;
  /** See GetSecretsClientOptions.createLocalVault. */
  createLocalVault?: boolean;
}

/** The backend a resolved target needs. Only the Key Vault path loads the Azure SDK. */
export async function openBackend(target: VaultTarget, options: OpenBackendOptions = {}): Promise<SecretsBackend> {
  if (target.kind === "local") {
    const env = options.env ?? process.env;
    // One backup key per installation: a backup restores into any local vault (or served one) of it.
    return LocalBackend.open({
      path: target.path,
      backupKeyFile: backupKeyPath(env),
      createOnlyToWrite: target.explicit === true && options.createLocalVault !== true,
      ...(options.env ? { env: options.env } : {}),
    });
  }
  const { KeyVaultBackend } = await import("./keyvault-backend.js");
  const credential = options.credential ?? (await credentialFor(target, options.env ?? process.env)).credential;
  if (target.kind === "azure") {
    return KeyVaultBackend.create({ vaultUrl: target.vaultUrl, credential });
  }
  return KeyVaultBackend.create({
    vaultUrl: target.vaultUrl,
    credential,
    disableChallengeResourceVerification: true,
    // A local server makes a deletion visible at once; polling at the SDK's 2 s would only add waiting.
    pollIntervalMs: 50,
    ...(target.caFile ? { ca: readCa(target.caFile, target.environment) } : {}),
  });
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
