import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { DatabaseSync as Database } from "node:sqlite";
import { SecretStr } from "../../src/core/secret-str.js";
import { LocalVault } from "../../src/store/local-vault.js";
import { VaultFixture } from "./vault-fixture.js";

const CANARY = "CANARY-5f3a9c1e-plaintext-must-never-reach-the-disk";
const mode = (path: string) => statSync(path).mode & 0o777;
const digest = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

describe("LocalVault: encryption at rest, files and keys", () => {
  let f: VaultFixture;
  beforeEach(() => (f = new VaultFixture()));
  afterEach(() => f.dispose());

  it("never writes a value in the clear to the database, its WAL or its shared memory", () => {
    f.reopen({ path: join(f.dir, "canary", "vault.db") });
    const path = join(f.dir, "canary", "vault.db");
    for (let i = 0; i < 30; i++) f.vault.setSecret(`canary-${i % 10}`, i % 2 ? CANARY : new SecretStr(CANARY));
    f.vault.setSecret("big", CANARY.repeat(400));
    f.vault.updateSecretProperties("canary-3", undefined, { enabled: false });
    f.vault.backupSecret("canary-1");
    f.vault.deleteSecret("canary-2");
    f.vault.recoverDeletedSecret("canary-2");
    const needles = [
      Buffer.from(CANARY, "utf8"),
      Buffer.from(CANARY, "utf16le"),
      Buffer.from(CANARY, "utf16le").swap16(),
      Buffer.from(CANARY.slice(0, 12), "utf8"),
    ];
    const scan = (when: string) => {
      let scanned = 0;
      for (const file of [path, `${path}-wal`, `${path}-shm`]) {
        if (!existsSync(file)) continue;
        const bytes = readFileSync(file);
        scanned += bytes.length;
        for (const needle of needles) assert.equal(bytes.includes(needle), false, `plaintext found in ${file} (${when})`);
      }
      return scanned;
    };
    assert.ok(statSync(`${path}-wal`).size > 100_000, "the writes still sit in the WAL, not yet checkpointed");
    assert.ok(scan("open") > 0);
    f.vault.close();
    assert.ok(scan("after close and checkpoint") > 0);
    f.vault = f.open({ path });
    assert.ok(f.vault.getSecret("canary-0").value.equals(CANARY), "and the values are all there");
  });

  it("creates the database, its WAL/SHM and the key file 0600, and missing folders 0700", () => {
    const path = join(f.dir, "deep", "er", "vault.db");
    const vault = LocalVault.open({ path, env: {} });
    try {
      vault.setSecret("s", "v");
      for (const file of [path, `${path}-wal`, `${path}-shm`, join(f.dir, "deep", "er", "vault.key")]) {
        assert.equal(mode(file), 0o600, file);
      }
      assert.equal(mode(join(f.dir, "deep")), 0o700);
      assert.equal(mode(join(f.dir, "deep", "er")), 0o700);
      assert.equal(statSync(join(f.dir, "deep", "er", "vault.key")).size, 32);
      assert.deepEqual(readdirSync(join(f.dir, "deep", "er")).filter((n) => n.endsWith(".tmp")), [], "no temp key left behind");
    } finally {
      vault.close();
    }
  });

  it("refuses another key clearly at open, and changes nothing", () => {
    f.vault.setSecret("precious", "keep-me");
    f.vault.close();
    const before = digest(f.path);
    const wrongKey = { code: "Configuration", message: /vault key does not match the vault/ };
    assert.throws(() => f.open({ key: Buffer.alloc(32, 7) }), wrongKey);
    assert.throws(() => f.open({ env: { ORBITRA_VAULT_KEY: Buffer.alloc(32, 9).toString("base64") } }), wrongKey);
    assert.equal(digest(f.path), before);
    assert.equal(statSync(join(f.dir, "vault.key")).size, 32);
    f.vault = f.open();
    assert.ok(f.vault.getSecret("precious").value.equals("keep-me"));
  });

  it("refuses a row whose sealed value was moved to another secret (AAD binds name and version)", () => {
    f.vault.setSecret("alice", "alice-value");
    f.vault.setSecret("bob", "bob-value");
    f.vault.close();
    const db = new Database(f.path);
    const value = (name: string) =>
      (db.prepare("SELECT v.value FROM versions v JOIN secrets s ON s.id = v.secret_id WHERE s.name_key = ?").get(name) as { value: Buffer }).value;
    db.prepare("UPDATE versions SET value = ? WHERE secret_id = (SELECT id FROM secrets WHERE name_key = 'bob')").run(value("alice"));
    db.close();
    f.vault = f.open();
    assert.throws(() => f.vault.getSecret("bob"), { code: "Configuration", message: /Cannot decrypt version [0-9a-f]{32} of secret bob/ });
    assert.ok(f.vault.getSecret("alice").value.equals("alice-value"), "other rows are unaffected");
  });

  it("seals one value twice into different bytes: a fresh IV each time, so equal values do not show as equal rows", () => {
    f.vault.setSecret("same", "one-value");
    f.vault.setSecret("same", "one-value");
    f.vault.close();
    const db = new Database(f.path);
    const rows = db.prepare("SELECT v.value FROM versions v JOIN secrets s ON s.id = v.secret_id WHERE s.name_key = 'same'").all() as { value: Uint8Array }[];
    db.close();
    assert.equal(rows.length, 2);
    const [a, b] = rows.map((row) => Buffer.from(row.value));
    // AES-GCM: the IV (first 12 bytes) must differ, or the ciphertexts after IV and tag would be equal.
    assert.notDeepEqual(a!.subarray(0, 12), b!.subarray(0, 12), "the IVs differ");
    assert.notDeepEqual(a!.subarray(28), b!.subarray(28), "the ciphertexts differ");
    f.vault = f.open();
  });

  it("takes the key from ORBITRA_VAULT_KEY without writing a key file, and refuses a malformed one", () => {
    const key = Buffer.alloc(32, 3).toString("base64");
    const path = join(f.dir, "env", "vault.db");
    const vault = LocalVault.open({ path, env: { ORBITRA_VAULT_KEY: key } });
    vault.setSecret("k", "v");
    vault.close();
    assert.equal(existsSync(join(f.dir, "env", "vault.key")), false);
    const again = LocalVault.open({ path, env: { ORBITRA_VAULT_KEY: key } });
    assert.ok(again.getSecret("k").value.equals("v"));
    again.close();
    assert.throws(() => LocalVault.open({ path: join(f.dir, "env2", "vault.db"), env: { ORBITRA_VAULT_KEY: "c2hvcnQ=" } }), {
      code: "Configuration",
      message: /ORBITRA_VAULT_KEY must be the base64 of 32/,
    });
    assert.throws(() => LocalVault.open({ path: join(f.dir, "env3", "vault.db"), key: new Uint8Array(16) }), { code: "Configuration" });
    // The vault holds data sealed with the env key: without it, no new key file is made up.
    assert.throws(() => LocalVault.open({ path, env: {} }), { code: "Configuration", message: /vault key .* is missing/ });
    assert.equal(existsSync(join(f.dir, "env", "vault.key")), false);
  });

  it("does not replace a lost or damaged key file with a new one", () => {
    f.vault.setSecret("s", "v");
    f.vault.close();
    const keyFile = join(f.dir, "vault.key");
    const key = readFileSync(keyFile);
    writeFileSync(keyFile, key.subarray(0, 31));
    assert.throws(() => f.open(), { code: "Configuration", message: /is 31 bytes, not 32: it is damaged/ });
    writeFileSync(keyFile, key);
    assert.throws(() => f.open({ keyFile: join(f.dir, "moved.key") }), { code: "Configuration", message: /moved\.key is missing/ });
    assert.equal(existsSync(join(f.dir, "moved.key")), false, "no made-up key that would read as 'wrong key' later");
    f.vault = f.open();
    assert.ok(f.vault.getSecret("s").value.equals("v"));
  });
});
