import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getKeysClient } from "../../src/client/get-keys-client.js";
import { runKeysContract } from "./keys-contract.js";

runKeysContract("local store, in-process", async () => {
  const home = mkdtempSync(join(tmpdir(), "orbitra-keys-contract-"));
  const client = getKeysClient({ environment: "local", env: { ORBITRA_HOME: home }, cwd: home });
  return {
    client,
    async cleanup() {
      await client.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
});
