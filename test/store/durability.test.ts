import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { LocalVault } from "../../src/store/local-vault.js";

const WRITER = join(import.meta.dirname, "fixtures", "writer.ts");

function writer(path: string, prefix: string, count: number, shared?: string) {
  return spawn(process.execPath, ["--import", "tsx", WRITER, path, prefix, String(count), ...(shared ? [shared] : [])], {
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function finished(child: ReturnType<typeof writer>): Promise<{ code: number | null; signal: string | null; lines: string[] }> {
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  return new Promise((resolve) =>
    child.on("close", (code, signal) => {
      if (code !== 0 && signal === null) process.stderr.write(err);
      resolve({ code, signal, lines: out.split("\n").filter(Boolean) });
    }),
  );
}

describe("store durability", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "orbitra-durability-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps no plaintext in the database, its WAL or shared memory", () => {
    const path = join(dir, "canary", "vault.db");
    const canary = "CANARY-8d1e6f0b-plaintext-must-not-appear";
    const vault = LocalVault.open({ path, env: {} });
    for (let i = 0; i < 20; i++) vault.setSecret(`canary-${i}`, `${canary}-${i}`, { tags: { note: "tag values are metadata" } });
    vault.updateSecretProperties("canary-3", undefined, { enabled: false });
    vault.backupSecret("canary-1");
    const needles = [Buffer.from(canary, "utf8"), Buffer.from(canary, "utf16le"), Buffer.from(canary.slice(0, 16), "utf8")];
    const scan = (when: string) => {
      for (const file of [path, `${path}-wal`, `${path}-shm`]) {
        if (!existsSync(file)) continue;
        const bytes = readFileSync(file);
        for (const needle of needles) assert.equal(bytes.includes(needle), false, `plaintext found in ${file} (${when})`);
      }
    };
    assert.ok(readFileSync(`${path}-wal`).length > 0, "the WAL holds the writes before a checkpoint");
    scan("open, WAL not checkpointed");
    vault.close();
    scan("after close");
  });

  it("loses no write when two processes write one vault at once", async () => {
    const path = join(dir, "concurrent", "vault.db");
    LocalVault.open({ path, env: {} }).close();
    const [a, b] = await Promise.all([finished(writer(path, "alpha", 150, "shared")), finished(writer(path, "beta", 150, "shared"))]);
    assert.equal(a.code, 0);
    assert.equal(b.code, 0);
    const vault = LocalVault.open({ path, env: {} });
    for (const name of [...a.lines, ...b.lines]) {
      assert.ok(vault.getSecret(name).value.equals(`value-of-${name}`), `${name} lost or wrong`);
    }
    assert.equal(a.lines.length + b.lines.length, 300);
    assert.equal(vault.listSecrets().items.length, 301);
    assert.equal(vault.listSecretVersions("shared").items.length, 300, "every version of the shared name is there");
    vault.close();
  });

  it("keeps every acknowledged write through a SIGKILL mid-stream", async () => {
    const path = join(dir, "killed", "vault.db");
    LocalVault.open({ path, env: {} }).close();
    const child = writer(path, "k", 100_000);
    const acknowledged: string[] = [];
    let buffer = "";
    await new Promise<void>((resolve) => {
      child.stdout!.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split("\n");
        buffer = lines.pop()!;
        acknowledged.push(...lines);
        if (acknowledged.length >= 200 && !child.killed) {
          child.kill("SIGKILL");
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.on("close", resolve));
    assert.ok(acknowledged.length >= 200);
    const db = new Database(path);
    assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
    db.close();
    const vault = LocalVault.open({ path, env: {} });
    for (const name of acknowledged) assert.ok(vault.getSecret(name).value.equals(`value-of-${name}`), `${name} lost`);
    assert.ok(vault.listSecrets().items.length >= acknowledged.length);
    vault.close();
  });
});
