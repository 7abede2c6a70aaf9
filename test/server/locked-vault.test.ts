// Another process holding the vault's write lock must not stop the server: a write waits for the
// lock between event-loop turns while reads go on, then completes; a 503 never names the file.
import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, before, describe, it } from "node:test";
import { toHttpError } from "../../src/server/errors.js";
import { retryWhileLocked } from "../../src/server/lock-retry.js";
import { vaultLocked } from "../../src/store/errors.js";
import { rawRequest, startTestServer, type TestServer } from "../helpers/server.js";

const auth = { authorization: "Bearer any", "content-type": "application/json" };

describe("server: a vault whose write lock another connection holds", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    server.store().setSecret("readable", "r");
  });
  after(() => server.close());

  it("serves reads while a write waits for the lock, then completes the write", async () => {
    // Another connection to the same file, as another process's would be; it takes the lock and holds it.
    const holder = new DatabaseSync(join(server.dataDir, "default.db"));
    holder.exec("BEGIN IMMEDIATE");
    const events: string[] = [];
    try {
      const write = rawRequest(server.url, server.ca, {
        method: "PUT",
        path: "/secrets/waiting?api-version=7.5",
        headers: auth,
        body: JSON.stringify({ value: "w" }),
      }).then((r) => (events.push("write"), r));
      // Give the write time to reach the store and find the lock taken (several retries).
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (let i = 0; i < 3; i++) {
        const read = await rawRequest(server.url, server.ca, { path: "/secrets/readable?api-version=7.5", headers: auth });
        assert.equal(read.status, 200);
        events.push("read");
      }
      assert.deepEqual(events, ["read", "read", "read"], "reads answered while the write waited");
      holder.exec("COMMIT");
      const written = await write;
      assert.equal(written.status, 200, written.body);
      assert.equal(server.store().getSecret("waiting").value.reveal(), "w");
    } finally {
      if (holder.isOpen) holder.close();
    }
  });

  it("gives up after its patience with the store's error, which the wire answer turns into a 503 without the path", async () => {
    let attempts = 0;
    const locked = vaultLocked(Object.assign(new Error("database is locked"), { errcode: 5 }), "/secret/place/vault.db");
    await assert.rejects(
      Promise.resolve(retryWhileLocked({ run: () => {
        attempts++;
        throw locked;
      } }, undefined, 30)),
      (error) => error === locked,
    );
    assert.ok(attempts > 1, "retried before giving up");
    const wire = toHttpError(locked);
    assert.equal(wire.status, 503);
    assert.doesNotMatch(wire.message, /secret\/place/);
  });

  it("does not retry other errors", () => {
    let attempts = 0;
    const other = new Error("boom");
    assert.throws(() => retryWhileLocked({ run: () => {
      attempts++;
      throw other;
    } }, undefined), (e) => e === other);
    assert.equal(attempts, 1);
  });
});
