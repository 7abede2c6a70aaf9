import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { OrbitraSecretsClient } from "../../src/client/secrets-client.js";
import { SecretStr } from "../../src/core/secret-str.js";

export interface ContractFixture {
  client: OrbitraSecretsClient;
  cleanup(): Promise<void>;
}

/**
 * The client's semantics, written once. Each backend runs exactly these assertions, so the local
 * store and Key Vault (through our server and the official SDK) cannot drift apart unnoticed.
 * Values are compared with `SecretStr.equals`, so a failing assertion never prints one.
 */
export function runSecretsContract(label: string, setup: () => Promise<ContractFixture>): void {
  describe(`secrets contract: ${label}`, () => {
    let fixture: ContractFixture;
    let client: OrbitraSecretsClient;
    let n = 0;
    const fresh = (stem: string): string => `${stem}-${++n}-${Math.random().toString(16).slice(2, 8)}`;

    before(async () => {
      fixture = await setup();
      client = fixture.client;
    });
    after(async () => {
      await fixture.cleanup();
    });

    it("writes and reads a value, hidden in a SecretStr", async () => {
      const name = fresh("db-password");
      await client.writeSecret(name, new SecretStr("s3cr3t-contract-value"));
      const value = await client.getSecret(name);
      assert.ok(value instanceof SecretStr);
      assert.ok(value.equals("s3cr3t-contract-value"));
      assert.equal(String(value), "**********");
    });

    it("gives null for a secret whose value is empty", async () => {
      const name = fresh("empty");
      await client.writeSecret(name, "");
      assert.equal(await client.getSecret(name), null);
    });

    it("throws SecretNotFound for a missing secret, and for a missing version", async () => {
      await assert.rejects(client.getSecret(fresh("missing")), { code: "SecretNotFound" });
      const name = fresh("has-one");
      await client.writeSecret(name, "v");
      await assert.rejects(client.getSecret(name, { version: "0".repeat(32) }), { code: "SecretNotFound" });
    });

    it("adds a version on every write; latest wins; old versions stay readable", async () => {
      const name = fresh("rotated");
      const first = await client.writeSecret(name, "one");
      const second = await client.writeSecret(name, "two");
      assert.match(first.version!, /^[0-9a-f]{32}$/);
      assert.notEqual(first.version, second.version);
      assert.ok((await client.getSecret(name))!.equals("two"));
      assert.ok((await client.getSecret(name, { version: first.version! }))!.equals("one"));
      const versions = await client.listSecretVersions(name);
      assert.deepEqual(versions.map((v) => v.version).sort(), [first.version, second.version].sort());
      for (const v of versions) assert.equal("value" in v, false);
    });

    it("compares names case-insensitively", async () => {
      const name = fresh("MixedCase");
      await client.writeSecret(name, "mixed");
      assert.ok((await client.getSecret(name.toLowerCase()))!.equals("mixed"));
      assert.ok((await client.getSecret(name.toUpperCase()))!.equals("mixed"));
    });

    it("lists names sorted, without deleted ones", async () => {
      const names = [fresh("list-c"), fresh("list-a"), fresh("list-b")];
      for (const name of names) await client.writeSecret(name, "x");
      await client.deleteSecret(names[0]!);
      const listed = await client.listSecrets();
      assert.deepEqual(listed, [...listed].sort());
      assert.ok(listed.includes(names[1]!));
      assert.ok(listed.includes(names[2]!));
      assert.ok(!listed.includes(names[0]!));
    });

    it("keeps properties: content type, tags, dates, enabled", async () => {
      const name = fresh("props");
      const expiresOn = new Date("2031-05-06T07:08:09Z");
      const notBefore = new Date("2024-01-02T03:04:05Z");
      const written = await client.writeSecret(name, "p", {
        contentType: "text/plain",
        tags: { team: "payments", tier: "1" },
        expiresOn,
        notBefore,
      });
      const read = await client.getSecretProperties(name);
      for (const p of [written, read]) {
        assert.equal(p.contentType, "text/plain");
        assert.deepEqual(p.tags, { team: "payments", tier: "1" });
        assert.equal(p.expiresOn?.getTime(), expiresOn.getTime());
        assert.equal(p.notBefore?.getTime(), notBefore.getTime());
        assert.equal(p.enabled, true);
        assert.ok(p.createdOn instanceof Date);
        assert.ok(p.recoverableDays! >= 7);
        assert.match(p.recoveryLevel!, /Recoverable/);
      }
    });

    it("updates properties; a disabled secret cannot be read but can be shown and re-enabled", async () => {
      const name = fresh("toggle");
      await client.writeSecret(name, "t", { tags: { a: "1" } });
      const updated = await client.updateSecretProperties(name, { tags: { b: "2" }, contentType: "json", enabled: false });
      assert.deepEqual(updated.tags, { b: "2" });
      assert.equal(updated.contentType, "json");
      assert.equal(updated.enabled, false);
      await assert.rejects(client.getSecret(name), { code: "PermissionDenied", serviceCode: "SecretDisabled" });
      const shown = await client.getSecretProperties(name);
      assert.equal(shown.enabled, false);
      await client.updateSecretProperties(name, { enabled: true });
      assert.ok((await client.getSecret(name))!.equals("t"));
    });

    it("soft-deletes: not found, listed as deleted, name held, recoverable with all versions", async () => {
      const name = fresh("soft");
      await client.writeSecret(name, "old");
      await client.writeSecret(name, "new");
      const deleted = await client.deleteSecret(name);
      assert.equal(deleted.name.toLowerCase(), name.toLowerCase());
      assert.match(deleted.recoveryId, new RegExp(`/deletedsecrets/${name}$`, "i"));
      assert.ok(deleted.scheduledPurgeDate.getTime() > deleted.deletedOn.getTime());
      await assert.rejects(client.getSecret(name), { code: "SecretNotFound" });
      const listed = await client.listDeletedSecrets();
      assert.ok(listed.some((d) => d.name.toLowerCase() === name.toLowerCase()));
      assert.equal((await client.getDeletedSecret(name)).name.toLowerCase(), name.toLowerCase());
      await assert.rejects(client.writeSecret(name, "again"), { code: "Conflict" });
      await client.recoverDeletedSecret(name);
      assert.ok((await client.getSecret(name))!.equals("new"));
      assert.equal((await client.listSecretVersions(name)).length, 2);
    });

    it("purges a deleted secret for good, freeing the name", async () => {
      const name = fresh("purged");
      await client.writeSecret(name, "gone");
      await client.deleteSecret(name);
      await client.purgeDeletedSecret(name);
      await assert.rejects(client.getDeletedSecret(name), { code: "SecretNotFound" });
      await client.writeSecret(name, "reborn");
      assert.ok((await client.getSecret(name))!.equals("reborn"));
      assert.equal((await client.listSecretVersions(name)).length, 1);
    });

    it("refuses delete, purge and recover of unknown names with SecretNotFound", async () => {
      await assert.rejects(client.deleteSecret(fresh("nope")), { code: "SecretNotFound" });
      await assert.rejects(client.purgeDeletedSecret(fresh("nope")), { code: "SecretNotFound" });
      await assert.rejects(client.recoverDeletedSecret(fresh("nope")), { code: "SecretNotFound" });
      await assert.rejects(client.getDeletedSecret(fresh("nope")), { code: "SecretNotFound" });
    });

    it("backs up every version and restores them after a purge; a second restore conflicts", async () => {
      const name = fresh("backed");
      const v1 = await client.writeSecret(name, "first");
      await client.writeSecret(name, "second");
      const blob = await client.backupSecret(name);
      assert.ok(blob.byteLength > 0);
      assert.equal(Buffer.from(blob).includes(Buffer.from("second")), false);
      await client.deleteSecret(name);
      await client.purgeDeletedSecret(name);
      const restored = await client.restoreSecretBackup(blob);
      assert.equal(restored.name.toLowerCase(), name.toLowerCase());
      assert.ok((await client.getSecret(name))!.equals("second"));
      assert.ok((await client.getSecret(name, { version: v1.version! }))!.equals("first"));
      await assert.rejects(client.restoreSecretBackup(blob), { code: "Conflict" });
      await assert.rejects(client.restoreSecretBackup(new Uint8Array([1, 2, 3])), { code: "InvalidValue" });
    });

    it("refuses bad names, oversize values and bad tags before writing anything", async () => {
      const before = await client.listSecrets();
      await assert.rejects(client.writeSecret("bad_name", "x"), { code: "InvalidName" });
      await assert.rejects(client.writeSecret("a".repeat(128), "x"), { code: "InvalidName" });
      await assert.rejects(client.writeSecret(fresh("big"), "x".repeat(25 * 1024 + 1)), { code: "InvalidValue" });
      const tooMany = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, "v"]));
      await assert.rejects(client.writeSecret(fresh("tags"), "x", { tags: tooMany }), { code: "InvalidValue" });
      await assert.rejects(client.getSecret("has space"), { code: "InvalidName" });
      assert.deepEqual(await client.listSecrets(), before);
    });

    it("accepts a value of exactly 25 KB, multibyte included", async () => {
      const name = fresh("edge");
      const value = "é".repeat((25 * 1024) / 2);
      await client.writeSecret(name, value);
      assert.ok((await client.getSecret(name))!.equals(value));
    });
  });
}
