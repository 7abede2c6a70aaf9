import { getSecretsClient } from "../../src/client/get-secrets-client.js";
import { runSecretsContract } from "./secrets-contract.js";
import { servedEnvironment } from "./served-vault.js";

// The same assertions as the local run, now through settings -> KeyVaultBackend -> the official
// SecretClient -> HTTPS with our generated CA -> `orbitra vault serve`'s REST API -> the store.
runSecretsContract("Key Vault backend (official SDK) against orbitra vault serve", async () => {
  const served = await servedEnvironment();
  const client = getSecretsClient(served.where);
  return {
    client,
    async cleanup() {
      await client.close();
      await served.close();
    },
  };
});
