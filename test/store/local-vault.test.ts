import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import Database from "better-sqlite3";
import { LocalVault } from "../../src/store/local-vault.js";

describe("LocalVault", () => {
  let dir: string;
  let now: number;
  let vault: LocalVault;
  const open = (extra: Partial<Parameters<typeof LocalVault.open>[0]> = {}) =>
    LocalVault.open({ path: join(dir, "vault.db"), clock: () => now, env: {}, ...extra });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "orbitra-store-"));
    now = Date.UTC(2026, 0, 1);
    vault = open();
  });
  afterEach(() => {
    vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("creates the database and key 0600 and records a schema version", () => {
    assert.equal(statSync(join(dir, "vault.db")).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, "vault.key")).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, "vault.key")).size, 32);
    const db = new Database(join(dir, "vault.db"), { readonly: true });
    assert.equal(db.pragma("user_version", { simple: true }), 1);
    assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
    db.close();
  });

  it("keeps versions with times in Unix seconds from the injected clock", () => {
    const first = vault.setSecret("api-key", "one", { tags: { a: "1" }, contentType: "text/plain" });
    now += 5000;
    const second = vault.setSecret("API-KEY", "two");
    assert.equal(first.created, Date.UTC(2026, 0, 1) / 1000);
    assert.equal(second.created, first.created + 5);
    assert.equal(second.name, "api-key", "the first write's casing is kept");
    assert.ok(vault.getSecret("api-key").value.equals("two"));
    assert.ok(vault.getSecret("api-key", first.version).value.equals("one"));
    assert.deepEqual(vault.getSecret("api-key", first.version).secret.tags, { a: "1" });
    assert.deepEqual(vault.listSecretVersions("api-key").items.map((v) => v.version), [first.version, second.version]);
  });

  it("picks the last write as latest even within one second", () => {
    vault.setSecret("fast", "1");
    vault.setSecret("fast", "2");
    vault.setSecret("fast", "3");
    assert.ok(vault.getSecret("fast").value.equals("3"));
  });

  it("updates one version; a disabled version reads as PermissionDenied(SecretDisabled)", () => {
    const v = vault.setSecret("toggle", "x", { tags: { keep: "no" } });
    now += 1000;
    const updated = vault.updateSecretProperties("toggle", undefined, { enabled: false, tags: { new: "yes" } });
    assert.equal(updated.enabled, false);
    assert.deepEqual(updated.tags, { new: "yes" });
    assert.equal(updated.updated, v.updated + 1);
    assert.throws(() => vault.getSecret("toggle"), { code: "PermissionDenied", serviceCode: "SecretDisabled" });
    vault.updateSecretProperties("toggle", v.version, { enabled: true });
    assert.ok(vault.getSecret("toggle").value.equals("x"));
  });

  it("soft-deletes with Key Vault's dates, holds the name, recovers, purges", () => {
    vault.setSecret("old", "v");
    const deleted = vault.deleteSecret("old");
    assert.equal(deleted.deletedDate, now / 1000);
    assert.equal(deleted.scheduledPurgeDate, now / 1000 + 90 * 86400);
    assert.equal(deleted.recoveryLevel, "Recoverable+Purgeable");
    assert.throws(() => vault.getSecret("old"), { code: "SecretNotFound" });
    assert.throws(() => vault.setSecret("old", "again"), { code: "Conflict", serviceCode: "ObjectIsDeletedButRecoverable" });
    assert.deepEqual(vault.listDeletedSecrets().items.map((d) => d.name), ["old"]);
    assert.deepEqual(vault.listSecrets().items, []);
    vault.recoverDeletedSecret("old");
    assert.ok(vault.getSecret("old").value.equals("v"));
    vault.deleteSecret("old");
    vault.purgeDeletedSecret("old");
    assert.throws(() => vault.getDeletedSecret("old"), { code: "SecretNotFound", message: "Deleted Secret not found: old" });
    vault.setSecret("old", "fresh");
    assert.equal(vault.listSecretVersions("old").items.length, 1);
  });

  it("purges on schedule when the retention has passed, without sleeping", () => {
    vault.close();
    vault = open({ recoverableDays: 7 });
    vault.setSecret("temp", "v");
    const deleted = vault.deleteSecret("temp");
    assert.equal(deleted.recoveryLevel, "CustomizedRecoverable+Purgeable");
    assert.equal(deleted.recoverableDays, 7);
    now += 7 * 86400 * 1000 - 1000;
    assert.equal(vault.getDeletedSecret("temp").name, "temp");
    now += 1000;
    assert.throws(() => vault.getDeletedSecret("temp"), { code: "SecretNotFound" });
    assert.deepEqual(vault.listDeletedSecrets().items, []);
    vault.setSecret("temp", "reused");
    assert.ok(vault.getSecret("temp").value.equals("reused"));
  });

  it("refuses bad input before writing anything", () => {
    vault.setSecret("kept", "v");
    const before = readFileSync(join(dir, "vault.db-wal"));
    assert.throws(() => vault.setSecret("bad_name", "v"), { code: "InvalidName" });
    assert.throws(() => vault.setSecret("ok", "x".repeat(25 * 1024 + 1)), { code: "InvalidValue" });
    assert.throws(() => vault.setSecret("ok", "v", { tags: { "": "x" } }), { code: "InvalidValue" });
    assert.throws(() => vault.setSecret("ok", "v", { contentType: "c".repeat(256) }), { code: "InvalidValue" });
    assert.throws(() => vault.setSecret("ok", "v", { expiresOn: new Date("nope") }), { code: "InvalidValue" });
    assert.throws(() => vault.updateSecretProperties("kept", "xyz", { enabled: false }), { code: "InvalidName" });
    assert.deepEqual(readFileSync(join(dir, "vault.db-wal")), before, "no write reached the file");
    assert.deepEqual(vault.listSecrets().items.map((s) => s.name), ["kept"]);
  });

  it("pages through listings with keyset cursors: sorted, no gaps, no repeats", () => {
    const names = Array.from({ length: 61 }, (_, i) => `name-${String(i).padStart(3, "0")}`);
    for (const name of [...names].reverse()) vault.setSecret(name, "v");
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = vault.listSecrets(after ? { after, limit: 25 } : { limit: 25 });
      seen.push(...page.items.map((s) => s.name));
      after = page.next;
      pages++;
    } while (after);
    assert.deepEqual(seen, names);
    assert.equal(pages, 3, "61 items in pages of 25: no trailing empty page");
  });

  it("backs up all versions and restores them; refuses tampered, foreign and duplicate blobs", () => {
    const v1 = vault.setSecret("backed", "first");
    vault.setSecret("backed", "second", { tags: { t: "1" } });
    const blob = vault.backupSecret("backed");
    assert.equal(blob.includes(Buffer.from("second")), false);
    assert.throws(() => vault.restoreSecretBackup(blob), { code: "Conflict" });
    vault.deleteSecret("backed");
    assert.throws(() => vault.restoreSecretBackup(blob), { code: "Conflict" });
    vault.purgeDeletedSecret("backed");
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 1]! ^= 1;
    assert.throws(() => vault.restoreSecretBackup(tampered), { code: "InvalidValue" });
    assert.throws(() => vault.restoreSecretBackup(blob.subarray(0, 20)), { code: "InvalidValue" });
    const other = LocalVault.open({ path: join(dir, "other", "vault.db"), env: {} });
    assert.throws(() => other.restoreSecretBackup(blob), { code: "InvalidValue" });
    other.close();
    const restored = vault.restoreSecretBackup(blob);
    assert.equal(restored.version, vault.listSecretVersions("backed").items[1]!.version);
    assert.ok(vault.getSecret("backed", v1.version).value.equals("first"));
    assert.deepEqual(vault.getSecret("backed").secret.tags, { t: "1" });
  });

  it("fails clearly, and destroys nothing, when opened with another key", () => {
    vault.setSecret("precious", "v");
    vault.close();
    assert.throws(() => open({ key: Buffer.alloc(32, 7) }), { code: "Configuration", message: /vault key does not match/ });
    vault = open();
    assert.ok(vault.getSecret("precious").value.equals("v"));
  });

  it("takes the key from ORBITRA_VAULT_KEY and refuses a malformed one", () => {
    vault.close();
    const key = Buffer.alloc(32, 3);
    vault = LocalVault.open({ path: join(dir, "env", "vault.db"), env: { ORBITRA_VAULT_KEY: key.toString("base64") } });
    vault.setSecret("k", "v");
    assert.throws(() => LocalVault.open({ path: join(dir, "env2", "vault.db"), env: { ORBITRA_VAULT_KEY: "c2hvcnQ=" } }), {
      code: "Configuration",
    });
  });

  it("refuses a database written by a newer orbitra", () => {
    vault.close();
    const db = new Database(join(dir, "vault.db"));
    db.pragma("user_version = 99");
    db.close();
    assert.throws(() => open(), { code: "Configuration", message: /newer than this orbitra/ });
    vault = LocalVault.open({ path: join(dir, "fresh.db"), env: {} });
  });
});
