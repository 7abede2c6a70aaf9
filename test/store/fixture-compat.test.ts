// A vault written by an earlier release (commit 4fd9ce7, on better-sqlite3) opens and reads with
// this build unchanged: every secret, version, value, attribute and the soft-deleted secret. The
// file format is SQLite's and the schema ours, so a change of SQLite driver or a new migration
// must keep this test green. The checked-in files are copied first and never written.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, it } from "node:test";
import { SCHEMA_VERSION } from "../../src/store/schema.js";
import { LocalVault } from "../../src/store/local-vault.js";
import { pragmaValue } from "../../src/store/sqlite.js";

interface FixtureVersion {
  version: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  enabled?: boolean;
  expiresOn?: string;
  notBefore?: string;
}
interface Manifest {
  clock: string;
  secrets: Record<string, { versions: FixtureVersion[]; deleted?: boolean }>;
}

const source = join(import.meta.dirname, "..", "fixtures", "vault-4fd9ce7");
const manifest = JSON.parse(readFileSync(join(source, "manifest.json"), "utf8")) as Manifest;
const now = Date.parse(manifest.clock);

describe("LocalVault: a vault made by release 4fd9ce7", () => {
  let dir: string;
  let vault: LocalVault;
  // A fresh copy per test: the recover test changes the vault, and tests may run in any order.
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "orbitra-fixture-"));
    cpSync(source, dir, { recursive: true });
    vault = LocalVault.open({ path: join(dir, "vault.db"), clock: () => now, env: {} });
  });
  afterEach(() => {
    vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is at the current schema after opening (migrations ran, if any were due)", () => {
    const db = new DatabaseSync(join(dir, "vault.db"), { readOnly: true });
    try {
      assert.equal(pragmaValue(db, "user_version"), SCHEMA_VERSION);
      assert.equal(pragmaValue(db, "integrity_check"), "ok");
    } finally {
      db.close();
    }
  });

  it("gains the keys tables: keys made in it sign, and its secrets' names stay theirs", async () => {
    const db = new DatabaseSync(join(dir, "vault.db"), { readOnly: true });
    try {
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
      assert.ok(tables.includes("keys") && tables.includes("key_versions"), tables.join(", "));
    } finally {
      db.close();
    }
    assert.deepEqual(vault.keys.listKeys().items, []);
    const name = Object.keys(manifest.secrets)[0]!;
    await vault.keys.createKey(name, { kty: "EC" });
    assert.equal((await vault.keys.sign(name, undefined, "ES256", Buffer.alloc(32))).result.byteLength, 64);
    assert.equal(vault.listSecretVersions(name).items.length, manifest.secrets[name]!.versions.length);
  });

  it("keeps every row through the upgrade: secrets, versions, deleted secrets, and each secret's latest", () => {
    // What the checked-in file held, read from a second copy that was never opened by the store.
    const before = join(dir, "before");
    cpSync(source, before, { recursive: true });
    const counts = (path: string) => {
      const db = new DatabaseSync(path, { readOnly: true });
      try {
        return db
          .prepare(
            `SELECT s.name_key, s.deleted_date, count(v.seq) AS versions, max(v.seq) AS newest
             FROM secrets s JOIN versions v ON v.secret_id = s.id GROUP BY s.id ORDER BY s.name_key`,
          )
          .all();
      } finally {
        db.close();
      }
    };
    const old = counts(join(before, "vault.db"));
    vault.close();
    assert.deepEqual(counts(join(dir, "vault.db")), old);
    assert.equal(old.length, Object.keys(manifest.secrets).length);
    assert.equal(old.filter((row) => row.deleted_date !== null).length, 1);
    const db = new DatabaseSync(join(dir, "vault.db"), { readOnly: true });
    try {
      const stale = db.prepare("SELECT name FROM secrets s WHERE latest_seq IS NOT (SELECT max(seq) FROM versions WHERE secret_id = s.id)").all();
      assert.deepEqual(stale, []);
    } finally {
      db.close();
    }
  });

  it("lists exactly the live secrets, with their names' case kept", () => {
    const live = Object.keys(manifest.secrets).filter((name) => !manifest.secrets[name]!.deleted);
    const listed = vault.listSecrets().items.map((s) => s.name);
    assert.deepEqual([...listed].sort(), [...live].sort());
  });

  it("reads every version of every live secret with its value and attributes", () => {
    for (const [name, secret] of Object.entries(manifest.secrets)) {
      if (secret.deleted) continue;
      const versions = vault.listSecretVersions(name).items;
      assert.deepEqual(versions.map((v) => v.version), secret.versions.map((v) => v.version), name);
      for (const expected of secret.versions) {
        const stored = versions.find((v) => v.version === expected.version)!;
        assert.equal(stored.enabled, expected.enabled !== false, `${name}/${expected.version} enabled`);
        assert.equal(stored.contentType, expected.contentType, `${name} contentType`);
        assert.deepEqual(stored.tags, expected.tags ?? {}, `${name} tags`);
        assert.equal(stored.expiresOn, expected.expiresOn ? Date.parse(expected.expiresOn) / 1000 : undefined);
        assert.equal(stored.notBefore, expected.notBefore ? Date.parse(expected.notBefore) / 1000 : undefined);
        if (stored.enabled) assert.equal(vault.getSecret(name, expected.version).value.reveal(), expected.value, `${name}/${expected.version}`);
      }
    }
  });

  it("keeps the latest version and the disabled latest version as they were", () => {
    assert.equal(vault.getSecret("db-password").value.reveal(), "third\nwith newline");
    assert.throws(() => vault.getSecret("disabled-one"), { code: "PermissionDenied" });
  });

  it("keeps the soft-deleted secret: listed as deleted, recoverable with every version and value", () => {
    assert.deepEqual(vault.listDeletedSecrets().items.map((s) => s.name), ["gone"]);
    vault.recoverDeletedSecret("gone");
    for (const expected of manifest.secrets.gone!.versions) {
      assert.equal(vault.getSecret("gone", expected.version).value.reveal(), expected.value);
    }
  });
});
