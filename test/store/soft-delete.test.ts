import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, it } from "node:test";
import { START_SECONDS, VaultFixture } from "./vault-fixture.js";

const DAY = 86_400;
const deletedNotFound = (name: string) => ({ code: "SecretNotFound", serviceCode: "SecretNotFound", message: `Deleted Secret not found: ${name}` });

describe("LocalVault: soft-delete, recover, purge", () => {
  let f: VaultFixture;
  beforeEach(() => (f = new VaultFixture()));
  afterEach(() => f.dispose());

  it("soft-deletes every version with Key Vault's dates and returns the latest version", () => {
    f.vault.setSecret("Old", "v1");
    f.advanceSeconds(10);
    const latest = f.vault.setSecret("old", "v2", { tags: { t: "1" } });
    f.advanceSeconds(10);
    const deleted = f.vault.deleteSecret("OLD");
    assert.equal(deleted.name, "Old");
    assert.equal(deleted.version, latest.version);
    assert.deepEqual(deleted.tags, { t: "1" });
    assert.equal(deleted.deletedDate, START_SECONDS + 20);
    assert.equal(deleted.scheduledPurgeDate, START_SECONDS + 20 + 90 * DAY);
    assert.equal(deleted.recoveryLevel, "Recoverable+Purgeable");
    assert.equal(deleted.recoverableDays, 90);
    assert.deepEqual(f.vault.getDeletedSecret("old"), deleted);
    assert.deepEqual(f.vault.listDeletedSecrets().items, [deleted]);
  });

  it("hides a deleted secret from every live operation", () => {
    const v = f.vault.setSecret("hidden", "v");
    f.vault.setSecret("other", "v");
    f.vault.deleteSecret("hidden");
    const gone = { code: "SecretNotFound", serviceCode: "SecretNotFound", message: /^A secret with \(name\/id\) hidden(\/[0-9a-f]{32})? was not found/ };
    assert.throws(() => f.vault.getSecret("hidden"), gone);
    assert.throws(() => f.vault.getSecret("hidden", v.version), gone);
    assert.throws(() => f.vault.updateSecretProperties("hidden", undefined, { enabled: false }), gone);
    assert.throws(() => f.vault.deleteSecret("hidden"), gone);
    assert.throws(() => f.vault.backupSecret("hidden"), gone);
    assert.deepEqual(f.vault.listSecrets().items.map((s) => s.name), ["other"]);
    assert.deepEqual(f.vault.listSecretVersions("hidden").items, []);
  });

  it("holds the name: a set on a deleted name is a Conflict(ObjectIsDeletedButRecoverable)", () => {
    f.vault.setSecret("held", "v");
    f.vault.deleteSecret("held");
    assert.throws(() => f.vault.setSecret("HELD", "again"), {
      code: "Conflict",
      serviceCode: "ObjectIsDeletedButRecoverable",
      message:
        "Secret held is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.",
    });
    assert.deepEqual(f.counts(), { secrets: 1, versions: 1 });
  });

  it("says `Deleted Secret not found` for deleted-secret operations on names that are not deleted", () => {
    f.vault.setSecret("alive", "v");
    for (const name of ["alive", "never"]) {
      assert.throws(() => f.vault.getDeletedSecret(name), deletedNotFound(name));
      assert.throws(() => f.vault.recoverDeletedSecret(name), deletedNotFound(name));
      assert.throws(() => f.vault.purgeDeletedSecret(name), deletedNotFound(name));
    }
    assert.ok(f.vault.getSecret("alive").value.equals("v"), "nothing happened to the live secret");
  });

  it("recovers every version, with values and attributes, and returns the latest", () => {
    const v1 = f.vault.setSecret("back", "one", { contentType: "c" });
    f.advanceSeconds(1);
    const v2 = f.vault.setSecret("back", "two", { enabled: false });
    f.vault.deleteSecret("back");
    f.advanceSeconds(100);
    const recovered = f.vault.recoverDeletedSecret("BACK");
    assert.deepEqual(recovered, v2);
    assert.deepEqual(f.vault.listSecretVersions("back").items, [v1, v2]);
    assert.ok(f.vault.getSecret("back", v1.version).value.equals("one"));
    assert.throws(() => f.vault.getSecret("back"), { code: "PermissionDenied" }, "the disabled latest stays disabled");
    assert.throws(() => f.vault.getDeletedSecret("back"), deletedNotFound("back"));
    assert.deepEqual(f.vault.listDeletedSecrets().items, []);
  });

  it("purges every version for good and frees the name", () => {
    f.vault.setSecret("Purged", "a");
    f.vault.setSecret("purged", "b");
    f.vault.setSecret("stays", "c");
    f.vault.deleteSecret("purged");
    f.vault.purgeDeletedSecret("PURGED");
    assert.deepEqual(f.counts(), { secrets: 1, versions: 1 });
    assert.throws(() => f.vault.getDeletedSecret("purged"), deletedNotFound("purged"));
    assert.throws(() => f.vault.purgeDeletedSecret("purged"), deletedNotFound("purged"));
    const fresh = f.vault.setSecret("PURGED", "new");
    assert.equal(fresh.name, "PURGED", "a new secret, with the casing of its own first write");
    assert.equal(f.vault.listSecretVersions("purged").items.length, 1);
  });

  it("uses a custom retention: CustomizedRecoverable+Purgeable and an earlier purge date", () => {
    f.reopen({ recoverableDays: 7 });
    const stored = f.vault.setSecret("short", "v");
    assert.equal(stored.recoveryLevel, "CustomizedRecoverable+Purgeable");
    assert.equal(stored.recoverableDays, 7);
    const deleted = f.vault.deleteSecret("short");
    assert.equal(deleted.scheduledPurgeDate, deleted.deletedDate + 7 * DAY);
    for (const days of [6, 91, 7.5, Number.NaN]) {
      assert.throws(() => f.open({ recoverableDays: days }), { code: "Configuration" }, String(days));
    }
  });

  it("purges on schedule once the clock reaches scheduledPurgeDate, without sleeping", () => {
    f.reopen({ recoverableDays: 7 });
    f.vault.setSecret("temp", "v");
    f.vault.setSecret("temp", "v2");
    f.vault.setSecret("keeper", "v");
    const deleted = f.vault.deleteSecret("temp");
    f.now = (deleted.scheduledPurgeDate - 1) * 1000;
    assert.equal(f.vault.getDeletedSecret("temp").name, "temp", "one second before: still recoverable");
    assert.deepEqual(f.counts(), { secrets: 2, versions: 3 });
    f.now = deleted.scheduledPurgeDate * 1000;
    // A read is enough to purge: the rows leave the file, not just the listings.
    assert.ok(f.vault.getSecret("keeper").value.equals("v"));
    assert.deepEqual(f.counts(), { secrets: 1, versions: 1 });
    assert.throws(() => f.vault.getDeletedSecret("temp"), deletedNotFound("temp"));
    assert.throws(() => f.vault.recoverDeletedSecret("temp"), deletedNotFound("temp"));
    assert.deepEqual(f.vault.listDeletedSecrets().items, []);
    assert.equal(f.vault.setSecret("temp", "reused").name, "temp");
    assert.equal(f.vault.listSecretVersions("temp").items.length, 1);
  });

  // The keys and certificates repositories are made on first use (and the CLI's get bundle has
  // none): purging must not depend on them, or `secrets get` would leave them past their date.
  it("a secrets read purges keys and certificates past their date, their repositories never made since the vault opened", async () => {
    await f.vault.keys.createKey("lone", { kty: "EC" });
    await f.vault.certificates.createCertificate("cert", { policy: { issuer: { name: "Self" }, x509_props: { subject: "CN=cert" } } });
    f.vault.setSecret("keeper", "v");
    f.vault.keys.deleteKey("lone");
    f.vault.certificates.deleteCertificate("cert");
    f.reopen();
    f.advanceSeconds(90 * DAY);
    assert.ok(f.vault.getSecret("keeper").value.equals("v"));
    const db = new DatabaseSync(f.path, { readOnly: true });
    try {
      const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      assert.deepEqual({ keys: count("keys"), certificates: count("certificates"), secrets: count("secrets") }, { keys: 0, certificates: 0, secrets: 1 });
    } finally {
      db.close();
    }
  });

  it("purges a due secret seen by another vault instance on the same file", () => {
    f.vault.setSecret("shared-temp", "v");
    f.vault.deleteSecret("shared-temp");
    const other = f.open();
    try {
      f.advanceSeconds(90 * DAY);
      assert.deepEqual(other.listDeletedSecrets().items, []);
      assert.deepEqual(f.counts(), { secrets: 0, versions: 0 });
      assert.throws(() => f.vault.getDeletedSecret("shared-temp"), deletedNotFound("shared-temp"));
    } finally {
      other.close();
    }
  });
});
