import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getKeysClient } from "../../src/client/get-keys-client.js";
import { startTestServer } from "../helpers/server.js";
import { runKeysContract } from "./keys-contract.js";

// The same assertions as the local run, now through settings -> KeyVaultKeysBackend -> the official
// KeyClient and CryptographyClient -> HTTPS with our generated CA -> `orbitra vault serve` -> the store.
runKeysContract("Key Vault backend (official SDK) against orbitra vault serve", async () => {
  const server = await startTestServer();
  const home = mkdtempSync(join(tmpdir(), "orbitra-keys-contract-kv-"));
  const caFile = join(home, "ca.pem");
  writeFileSync(caFile, server.ca);
  const client = getKeysClient({
    environment: "dev",
    cwd: home,
    env: { ORBITRA_HOME: home, ORBITRA_KEY_VAULT_DEV: server.url, ORBITRA_CA_FILE_DEV: caFile },
  });
  return {
    client,
    async cleanup() {
      await client.close();
      await server.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
});
