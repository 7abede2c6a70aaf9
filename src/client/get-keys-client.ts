import type { TokenCredential } from "@azure/core-auth";
import { openKeysBackend } from "../backends/open-backend.js";
import { OrbitraKeysClient } from "./keys-client.js";
import { clientOptionsOf, openOptionsOf, targetOf, type ClientTargetOptions } from "./target-of.js";

/** Where the keys client's vault is: the same options, settings and credentials as getSecretsClient. */
export type GetKeysClientOptions = ClientTargetOptions;

/**
 * Builds the keys client for the vault of an environment, resolved exactly as
 * {@link getSecretsClient} resolves it (`keyVault`, else the environment's settings, else the
 * built-in `local`), on the same credential chain.
 *
 * ```ts
 * const keys = getKeysClient({ environment: "local" });
 * await keys.createRsaKey("signing", { keySize: 3072 });
 * const { result: signature } = await keys.signData("signing", "PS256", document);
 * const sealed = await keys.encryptEnvelope("signing", bigFile); // any size
 * ```
 *
 * `local` runs every operation in this process on the embedded store (no server); a Key Vault
 * target goes through the official `@azure/keyvault-keys` clients. Throws `ConfigurationError`
 * when no vault can be resolved. Synchronous: nothing is opened until the first call.
 */
export function getKeysClient(options?: GetKeysClientOptions): OrbitraKeysClient;
export function getKeysClient(keyVault?: string, environment?: string, credential?: TokenCredential): OrbitraKeysClient;
export function getKeysClient(first?: string | GetKeysClientOptions, environment?: string, credential?: TokenCredential): OrbitraKeysClient {
  const options = clientOptionsOf<GetKeysClientOptions>(first, environment, credential);
  const target = targetOf(options);
  return new OrbitraKeysClient(target, () => openKeysBackend(target, openOptionsOf(options)));
}
