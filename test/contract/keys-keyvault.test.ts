import { getKeysClient } from "../../src/client/get-keys-client.js";
import { runKeysContract } from "./keys-contract.js";
import { servedEnvironment } from "./served-vault.js";

// The same assertions as the local run, now through settings -> KeyVaultKeysBackend -> the official
// KeyClient and CryptographyClient -> HTTPS with our generated CA -> `orbitra vault serve` -> the store.
runKeysContract("Key Vault backend (official SDK) against orbitra vault serve", async () => {
  const served = await servedEnvironment();
  const client = getKeysClient(served.where);
  return {
    client,
    async cleanup() {
      await client.close();
      await served.close();
    },
  };
});
