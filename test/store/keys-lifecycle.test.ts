// vault.keys soft-delete, recover and purge on the shared retention, on real SQLite files.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, it } from "node:test";
import { START_SECONDS, VaultFixture } from "./vault-fixture.js";

const DAY = 86_400;
const keyRows = (path: string) => {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { keys: count("keys"), versions: count("key_versions") };
  } finally {
    db.close();
  }
};

describe("vault.keys: delete, recover, purge", () => {
  let f: VaultFixture;
  beforeEach(() => (f = new VaultFixture()));
  afterEach(() => f.dispose());

  it("deletes every version softly: the deleted key keeps its public JWK and dates, and the name is held", async () => {
    const first = await f.vault.keys.createKey("K", { kty: "EC" });
    const second = await f.vault.keys.createKey("k", { kty: "EC" });
    f.advanceSeconds(10);
    const deleted = f.vault.keys.deleteKey("k");
    assert.equal(deleted.name, "K");
    assert.equal(deleted.version, second.version);
    assert.deepEqual(deleted.publicJwk, second.publicJwk);
    assert.equal(deleted.deletedDate, START_SECONDS + 10);
    assert.equal(deleted.scheduledPurgeDate, START_SECONDS + 10 + 90 * DAY);
    assert.deepEqual(f.vault.keys.getDeletedKey("k"), deleted);
    assert.deepEqual(f.vault.keys.listDeletedKeys().items, [deleted]);
    assert.deepEqual(f.vault.keys.listKeys().items, []);
    assert.deepEqual(f.vault.keys.listKeyVersions("k").items, []);
    assert.deepEqual(f.vault.keys.listKeyVersions("never-was").items, []);
    assert.throws(() => f.vault.keys.getKey("k", first.version), { code: "KeyNotFound" });
    await assert.rejects(f.vault.keys.createKey("k", { kty: "EC" }), { code: "Conflict", statusCode: 409, serviceCode: "ObjectIsDeletedButRecoverable" });
    assert.throws(() => f.vault.keys.deleteKey("k"), { code: "KeyNotFound" });
    assert.throws(() => f.vault.keys.getDeletedKey("other"), { code: "KeyNotFound", message: /Deleted Key not found: other/ });
  });

  it("recovers every version; purge removes every row and frees the name", async () => {
    const first = await f.vault.keys.createKey("k", { kty: "EC" });
    await f.vault.keys.createKey("k", { kty: "EC" });
    f.vault.keys.deleteKey("k");
    const recovered = f.vault.keys.recoverDeletedKey("k");
    assert.equal(f.vault.keys.getKey("k").version, recovered.version);
    assert.equal(f.vault.keys.listKeyVersions("k").items.length, 2);
    assert.equal((await f.vault.keys.sign("k", first.version, "ES256", Buffer.alloc(32))).version, first.version);
    assert.throws(() => f.vault.keys.recoverDeletedKey("k"), { code: "KeyNotFound" });
    assert.throws(() => f.vault.keys.purgeDeletedKey("k"), { code: "KeyNotFound" }, "a live key cannot be purged");
    f.vault.keys.deleteKey("k");
    f.vault.keys.purgeDeletedKey("k");
    assert.deepEqual(keyRows(f.path), { keys: 0, versions: 0 });
    assert.equal((await f.vault.keys.createKey("k", { kty: "oct" })).kty, "oct");
  });

  it("purges on schedule once the clock passes scheduledPurgeDate, with the custom retention", async () => {
    f.reopen({ recoverableDays: 7 });
    await f.vault.keys.createKey("k", { kty: "EC" });
    const deleted = f.vault.keys.deleteKey("k");
    assert.equal(deleted.recoveryLevel, "CustomizedRecoverable+Purgeable");
    assert.equal(deleted.scheduledPurgeDate, START_SECONDS + 7 * DAY);
    f.advanceSeconds(7 * DAY);
    assert.throws(() => f.vault.keys.getDeletedKey("k"), { code: "KeyNotFound" });
    assert.deepEqual(keyRows(f.path), { keys: 0, versions: 0 }, "the read purged it");
  });

  it("two processes adding versions to one key at once lose none, and each version keeps its own material", async () => {
    await f.vault.keys.createKey("shared", { kty: "oct", keySize: 128 });
    const child = (seed: number) =>
      new Promise<string[]>((resolve, reject) => {
        const p = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "fixtures", "key-writer.ts"), f.path, "shared", "60", String(seed)], {
          stdio: ["ignore", "pipe", "inherit"],
        });
        let out = "";
        p.stdout.on("data", (d) => (out += d));
        p.on("close", (code) => (code === 0 ? resolve(out.split("\n").filter(Boolean)) : reject(new Error(`key-writer exited ${code}`))));
      });
    const [a, b] = await Promise.all([child(1), child(2)]);
    const versions = f.vault.keys.listKeyVersions("shared").items.map((v) => v.version);
    assert.equal(versions.length, 121);
    assert.deepEqual(new Set(versions), new Set([versions[0]!, ...a, ...b]));
    const digest = Buffer.alloc(32);
    const macs = await Promise.all(versions.map(async (v) => Buffer.from((await f.vault.keys.sign("shared", v, "HS256", digest)).result).toString("hex")));
    assert.equal(new Set(macs).size, 121, "every version signs with its own key");
  });
});
