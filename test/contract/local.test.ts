import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getSecretsClient } from "../../src/client/get-secrets-client.js";
import { runSecretsContract } from "./secrets-contract.js";

runSecretsContract("local store, in-process", async () => {
  const home = mkdtempSync(join(tmpdir(), "orbitra-contract-"));
  const client = getSecretsClient({ environment: "local", env: { ORBITRA_HOME: home }, cwd: home });
  return {
    client,
    async cleanup() {
      await client.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
});
