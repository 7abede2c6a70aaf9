import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { describe, it } from "node:test";
import { getSecrets } from "../../src/client/bulk.js";
import { getSecretsClient } from "../../src/client/get-secrets-client.js";
import { startTestServer } from "../helpers/server.js";

describe("getSecrets abort, through the official SDK against the server", () => {
  it("cancels the requests in flight instead of waiting for them: no read completes after the abort", async () => {
    // Every request waits 1 s in the server; the abort comes while all 8 are out.
    const server = await startTestServer({ faults: { latencyMs: 1000 } });
    for (let i = 0; i < 8; i++) server.store().setSecret(`slow-${i}`, `v${i}`);
    const client = getSecretsClient({
      environment: "dev",
      cwd: server.dataDir,
      env: { ORBITRA_HOME: server.dataDir, ORBITRA_KEY_VAULT_DEV: server.url, ORBITRA_CA_FILE_DEV: server.caFile },
    });
    try {
      const controller = new AbortController();
      let completed = 0;
      const names = Array.from({ length: 8 }, (_, i) => `slow-${i}`);
      const run = getSecrets(client, names, { signal: controller.signal, concurrency: 8, onProgress: (done) => (completed = done) });
      setTimeout(() => controller.abort(new Error("stop now")), 200);
      await assert.rejects(run, /stop now/);
      assert.equal(completed, 0, "rejected before any of the slow reads finished: they were cancelled, not awaited");
    } finally {
      await client.close();
      await server.close();
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  });
});
