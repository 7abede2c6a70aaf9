import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { DatabaseSync as Database } from "node:sqlite";
import { LocalVault } from "../../src/store/local-vault.js";
import { pragmaValue } from "../../src/store/sqlite.js";
import { VaultFixture } from "./vault-fixture.js";

const WRITER = join(import.meta.dirname, "fixtures", "writer.ts");

function writer(path: string, prefix: string, count: number, shared?: string) {
  return spawn(process.execPath, ["--import", "tsx", WRITER, path, prefix, String(count), ...(shared ? [shared] : [])], {
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function finished(child: ReturnType<typeof writer>): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, lines: out.split("\n").filter(Boolean), stderr: err })));
}

describe("LocalVault: durability and concurrency", () => {
  let f: VaultFixture;
  beforeEach(() => (f = new VaultFixture()));
  afterEach(() => f.dispose());

  it("loses no write when two processes create and write one new vault at once", async () => {
    const dir = join(f.dir, "race");
    const path = join(dir, "vault.db");
    // Nothing exists yet: both children race to make the folder, the file, the schema and the key.
    const [a, b] = await Promise.all([finished(writer(path, "alpha", 200, "shared")), finished(writer(path, "beta", 200, "shared"))]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(a.lines.length + b.lines.length, 400);
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes("key")), ["vault.key"], "one key, no temp files");
    const vault = LocalVault.open({ path, env: {} });
    try {
      for (const name of [...a.lines, ...b.lines]) assert.ok(vault.getSecret(name).value.equals(`value-of-${name}`), `${name} lost or wrong`);
      assert.equal(vault.listSecrets().items.length, 401);
      const versions = vault.listSecretVersions("shared").items;
      assert.equal(versions.length, 200, "every version of the shared name is there");
      const values = new Set(versions.map((v) => vault.getSecret("shared", v.version).value.reveal()));
      for (let i = 0; i < 200; i += 2) assert.ok(values.has(`alpha:${i}`) && values.has(`beta:${i}`), `shared version ${i}`);
    } finally {
      vault.close();
    }
  });

  it("loses no write when two long-lived writers checkpoint the same vault from their worker threads", async () => {
    const path = join(f.dir, "two", "vault.db");
    // 450 commits each: both processes start their checkpoint worker (from the 256th) while the other writes.
    const [a, b] = await Promise.all([finished(writer(path, "alpha", 300, "shared")), finished(writer(path, "beta", 300, "shared"))]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const db = new Database(path);
    assert.equal(pragmaValue(db, "integrity_check"), "ok");
    db.close();
    const vault = LocalVault.open({ path, env: {} });
    try {
      for (const name of [...a.lines, ...b.lines]) assert.ok(vault.getSecret(name).value.equals(`value-of-${name}`), `${name} lost or wrong`);
      assert.equal(vault.listSecretVersions("shared").items.length, 300);
    } finally {
      vault.close();
    }
  });

  it("keeps every acknowledged write through a SIGKILL mid-stream", async () => {
    const path = join(f.dir, "killed", "vault.db");
    const child = writer(path, "k", 1_000_000);
    const acknowledged: string[] = [];
    let buffer = "";
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
      child.on("close", () => reject(new Error(`writer ended before the kill: ${stderr}`)));
      child.stdout!.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split("\n");
        buffer = lines.pop()!;
        acknowledged.push(...lines);
        // Past the 256th commit: the child's checkpoint worker is running too (background-checkpoint.ts).
        if (acknowledged.length >= 600 && !child.killed) {
          child.kill("SIGKILL");
          resolve();
        }
      });
    });
    const signal = await new Promise((resolve) => child.on("exit", (_code, sig) => resolve(sig)));
    assert.equal(signal, "SIGKILL");
    const db = new Database(path);
    assert.equal(pragmaValue(db, "integrity_check"), "ok");
    db.close();
    const vault = LocalVault.open({ path, env: {} });
    try {
      for (const name of acknowledged) assert.ok(vault.getSecret(name).value.equals(`value-of-${name}`), `${name} lost`);
      assert.ok(vault.listSecrets().items.length >= acknowledged.length);
    } finally {
      vault.close();
    }
  });

  it("waits for another process's write lock, and past the wait limit fails with Unavailable", () => {
    f.vault.setSecret("before", "v");
    const vault = f.open({ busyTimeoutMs: 50 });
    const holder = new Database(f.path);
    holder.exec("PRAGMA busy_timeout = 0");
    try {
      holder.exec("BEGIN IMMEDIATE");
      assert.throws(() => vault.setSecret("blocked", "v"), { code: "Unavailable", message: /is locked by another process/ });
      assert.ok(vault.getSecret("before").value.equals("v"), "reads go on under WAL");
      holder.exec("ROLLBACK");
      vault.setSecret("blocked", "v");
      assert.ok(f.vault.getSecret("blocked").value.equals("v"));
    } finally {
      holder.close();
      vault.close();
    }
  });
});
