import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { DatabaseSync as Database } from "node:sqlite";
import { seal } from "../../src/store/cipher.js";
import { pragmaValue } from "../../src/store/sqlite.js";
import { migrationsUpTo, SCHEMA_VERSION } from "../../src/store/schema.js";
import { VaultFixture } from "./vault-fixture.js";

const indexes = (db: Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );

describe("LocalVault: schema and migrations", () => {
  let f: VaultFixture;
  beforeEach(() => (f = new VaultFixture()));
  afterEach(() => f.dispose());

  it("records the schema version in user_version and runs in WAL mode", () => {
    assert.equal(SCHEMA_VERSION, 6);
    const db = new Database(f.path, { readOnly: true });
    assert.equal(pragmaValue(db, "user_version"), SCHEMA_VERSION);
    assert.equal(pragmaValue(db, "journal_mode"), "wal");
    assert.deepEqual(indexes(db), ["certificates_by_name", "certificates_renew_at", "certificates_scheduled_purge", "keys_by_name", "keys_rotate_due", "keys_scheduled_purge", "secrets_by_name", "secrets_scheduled_purge"]);
    db.close();
  });

  it("upgrades a version-1 file in place and keeps its secrets readable", () => {
    const dir = join(f.dir, "old");
    mkdirSync(dir);
    const key = randomBytes(32);
    const db = new Database(join(dir, "vault.db"));
    db.exec("PRAGMA journal_mode = WAL");
    for (const ddl of migrationsUpTo(1)) db.exec(ddl);
    db.exec("PRAGMA user_version = 1");
    db.prepare("INSERT INTO meta (key, value) VALUES ('key_check', ?)").run(seal(key, Buffer.from("orbitra"), "key_check"));
    db.prepare("INSERT INTO secrets (id, name_key, name) VALUES (1, 'legacy', 'Legacy')").run();
    const version = "0123456789abcdef0123456789abcdef";
    db.prepare("INSERT INTO versions (secret_id, version, value, enabled, created, updated) VALUES (1, ?, ?, 1, 100, 100)").run(
      version,
      seal(key, Buffer.from("from-v1"), `legacy/${version}`),
    );
    db.close();
    const vault = f.open({ path: join(dir, "vault.db"), key });
    assert.ok(vault.getSecret("legacy").value.equals("from-v1"));
    assert.equal(vault.setSecret("LEGACY", "from-v2").name, "Legacy");
    vault.close();
    const after = new Database(join(dir, "vault.db"), { readOnly: true });
    assert.equal(pragmaValue(after, "user_version"), SCHEMA_VERSION);
    assert.deepEqual(indexes(after), ["certificates_by_name", "certificates_renew_at", "certificates_scheduled_purge", "keys_by_name", "keys_rotate_due", "keys_scheduled_purge", "secrets_by_name", "secrets_scheduled_purge"]);
    after.close();
  });

  it("refuses a database written by a newer orbitra, and leaves it alone", () => {
    f.vault.setSecret("s", "v");
    f.vault.close();
    const db = new Database(f.path);
    db.exec("PRAGMA user_version = 99");
    db.close();
    const before = readFileSync(f.path);
    assert.throws(() => f.open(), { code: "Configuration", message: /schema version 99, newer than this orbitra .* Upgrade orbitra/ });
    assert.deepEqual(readFileSync(f.path), before);
  });

  it("refuses a file that is not a vault with a Configuration error", () => {
    const path = join(f.dir, "junk.db");
    writeFileSync(path, "this is not a database file, just some text that is long enough ".repeat(20));
    assert.throws(() => f.open({ path }), { code: "Configuration", message: /junk\.db is damaged or is not an orbitra vault/ });
  });
});
