import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getCertificatesClient } from "../../src/client/get-certificates-client.js";
import { runCertificatesContract } from "./certificates-contract.js";

runCertificatesContract("local store, in-process", async () => {
  const home = mkdtempSync(join(tmpdir(), "orbitra-certs-contract-"));
  const client = getCertificatesClient({ environment: "local", env: { ORBITRA_HOME: home }, cwd: home });
  return {
    client,
    async cleanup() {
      await client.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
});
