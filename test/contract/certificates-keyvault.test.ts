import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getCertificatesClient } from "../../src/client/get-certificates-client.js";
import { startTestServer } from "../helpers/server.js";
import { runCertificatesContract } from "./certificates-contract.js";

// The same assertions as the local run, now through settings -> KeyVaultCertificatesBackend -> the official
// CertificateClient (and SecretClient for downloads) -> HTTPS with our generated CA -> `orbitra vault serve` -> the store.
runCertificatesContract("Key Vault backend (official SDK) against orbitra vault serve", async () => {
  const server = await startTestServer();
  const home = mkdtempSync(join(tmpdir(), "orbitra-certs-contract-kv-"));
  const caFile = join(home, "ca.pem");
  writeFileSync(caFile, server.ca);
  const client = getCertificatesClient({
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
