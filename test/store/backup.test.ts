import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { LocalVault } from "../../src/store/local-vault.js";
import { VaultFixture } from "./vault-fixture.js";

const malformed = { code: "InvalidValue", serviceCode: "Malformed backup blob", message: /^Backup blob contains invalid or corrupt version/ };

describe("LocalVault: backup and restore", () => {
  let f: VaultFixture;
  beforeEach(() => (f = new VaultFixture()));
  afterEach(() => f.dispose());

  function threeVersions() {
    const v1 = f.vault.setSecret("Backed", "first-value", { contentType: "text/plain", expiresOn: new Date("2031-01-01Z") });
    f.advanceSeconds(60);
    const v2 = f.vault.setSecret("backed", "second-value", { enabled: false, tags: { a: "1" } });
    f.advanceSeconds(60);
    const v3 = f.vault.setSecret("backed", "third-value", { tags: { b: "2" } });
    f.advanceSeconds(60);
    const v1u = f.vault.updateSecretProperties("backed", v1.version, { tags: { edited: "yes" } });
    return [v1u, v2, v3] as const;
  }

  it("round-trips every version with its value, id, dates and attributes", () => {
    const versions = threeVersions();
    const blob = f.vault.backupSecret("BACKED");
    f.vault.deleteSecret("backed");
    f.vault.purgeDeletedSecret("backed");
    f.advanceSeconds(3600);
    const restored = f.vault.restoreSecretBackup(blob);
    assert.deepEqual(restored, versions[2], "returns the latest version, dates as they were");
    assert.deepEqual(f.vault.listSecretVersions("backed").items, [...versions]);
    const values = ["first-value", "second-value", "third-value"];
    versions.forEach((v, i) => {
      if (!v.enabled) return;
      assert.ok(f.vault.getSecret("backed", v.version).value.equals(values[i]!));
    });
    f.vault.updateSecretProperties("backed", versions[1].version, { enabled: true });
    assert.ok(f.vault.getSecret("backed", versions[1].version).value.equals("second-value"));
  });

  it("makes an opaque blob: no name, value or tag in the clear, fresh bytes each time", () => {
    threeVersions();
    const blob = f.vault.backupSecret("backed");
    assert.ok(blob.subarray(0, 20).toString("latin1").startsWith("ORBITRA"), "a magic prefix says what it is");
    for (const needle of ["first-value", "third-value", "backed", "Backed", "edited"]) {
      assert.equal(blob.includes(Buffer.from(needle)), false, needle);
    }
    assert.notDeepEqual(f.vault.backupSecret("backed"), blob, "random IV per blob");
  });

  it("restores into another vault of the same folder (same backup.key by default), not into another folder's with its own", () => {
    threeVersions();
    const blob = f.vault.backupSecret("backed");
    const sibling = LocalVault.open({ path: join(f.dir, "sibling.db"), env: {} });
    const stranger = LocalVault.open({ path: join(f.dir, "elsewhere", "vault.db"), env: {} });
    try {
      assert.equal(sibling.restoreSecretBackup(blob).name, "Backed");
      assert.ok(sibling.getSecret("backed").value.equals("third-value"));
      assert.throws(() => stranger.restoreSecretBackup(blob), malformed);
      assert.deepEqual(stranger.listSecrets().items, []);
    } finally {
      sibling.close();
      stranger.close();
    }
  });

  it("refuses to restore over a live or a deleted name, and allows it once purged", () => {
    f.vault.setSecret("dup", "v");
    const blob = f.vault.backupSecret("dup");
    const exists = { code: "Conflict", message: /^Secret dup already exists\./ };
    assert.throws(() => f.vault.restoreSecretBackup(blob), exists);
    f.vault.deleteSecret("dup");
    assert.throws(() => f.vault.restoreSecretBackup(blob), exists);
    assert.deepEqual(f.counts(), { secrets: 1, versions: 1 });
    f.vault.purgeDeletedSecret("dup");
    assert.ok(f.vault.restoreSecretBackup(blob));
  });

  it("refuses malformed, truncated, tampered and foreign blobs and writes nothing", () => {
    threeVersions();
    const blob = f.vault.backupSecret("backed");
    f.vault.deleteSecret("backed");
    f.vault.purgeDeletedSecret("backed");
    const bad: Uint8Array[] = [
      new Uint8Array(0),
      Buffer.from("not a backup at all"),
      blob.subarray(0, 25),
      blob.subarray(0, 40),
      blob.subarray(0, blob.length - 1),
      Buffer.concat([blob, Buffer.from([0])]),
      Buffer.from(blob.toString("base64url")),
    ];
    for (const at of [0, 30, 40, 50, Math.floor(blob.length / 2), blob.length - 1]) {
      const tampered = Buffer.from(blob);
      tampered[at]! ^= 0x01;
      bad.push(tampered);
    }
    for (const b of bad) assert.throws(() => f.vault.restoreSecretBackup(b), malformed, `blob of ${b.length} bytes`);
    assert.deepEqual(f.counts(), { secrets: 0, versions: 0 });
    assert.ok(f.vault.restoreSecretBackup(new Uint8Array(blob)), "the untouched blob, as a plain Uint8Array, still restores");
  });

  it("refuses to back up a secret with more than 500 versions", () => {
    for (let i = 0; i < 500; i++) f.vault.setSecret("many", `v${i}`);
    const blob = f.vault.backupSecret("many");
    f.vault.setSecret("many", "one too many");
    assert.throws(() => f.vault.backupSecret("many"), { code: "InvalidValue", message: /more than 500 versions/ });
    f.vault.deleteSecret("many");
    f.vault.purgeDeletedSecret("many");
    f.vault.restoreSecretBackup(blob);
    assert.equal(f.vault.listSecretVersions("many").items.length, 500);
    assert.ok(f.vault.getSecret("many").value.equals("v499"));
  });

  it("restores across vaults with different vault keys that share a backup key file, or ORBITRA_BACKUP_KEY", () => {
    f.vault.close();
    const backupKeyFile = join(f.dir, "install", "backup.key");
    const a = LocalVault.open({ path: join(f.dir, "a", "vault.db"), backupKeyFile, env: {} });
    const b = LocalVault.open({ path: join(f.dir, "b", "vault.db"), backupKeyFile, env: {} });
    const envKey = { ORBITRA_BACKUP_KEY: Buffer.alloc(32, 9).toString("base64") };
    const c = LocalVault.open({ path: join(f.dir, "c", "vault.db"), env: envKey });
    const d = LocalVault.open({ path: join(f.dir, "d", "vault.db"), env: envKey });
    try {
      a.setSecret("moved", "value", { tags: { t: "1" } });
      const blob = a.backupSecret("moved");
      assert.equal(b.restoreSecretBackup(blob).name, "moved");
      assert.ok(b.getSecret("moved").value.equals("value"));
      assert.throws(() => c.restoreSecretBackup(blob), { ...malformed, message: /another installation's backup key/ });
      c.setSecret("env", "value-2");
      assert.ok(d.restoreSecretBackup(c.backupSecret("env")));
      assert.ok(d.getSecret("env").value.equals("value-2"));
    } finally {
      for (const v of [a, b, c, d]) v.close();
    }
    f.vault = f.open();
  });

  it("still restores a first-format backup (sealed with the vault key) made by the code before this format", () => {
    // test/store/fixtures/backup-v1.b64: made by commit 7ab6ba7's LocalVault with a vault key of 32 bytes 0x07.
    const blob = Buffer.from(readFileSync(join(import.meta.dirname, "fixtures", "backup-v1.b64"), "utf8").trim(), "base64url");
    assert.ok(blob.subarray(0, 25).toString("latin1").startsWith("ORBITRA-SECRET-BACKUP-V1"));
    assert.throws(() => f.vault.restoreSecretBackup(blob), malformed, "not with another vault key");
    f.vault.close();
    const old = LocalVault.open({ path: join(f.dir, "old", "vault.db"), key: Buffer.alloc(32, 7), env: {} });
    try {
      const restored = old.restoreSecretBackup(blob);
      assert.equal(restored.name, "Legacy-Db");
      assert.ok(old.getSecret("legacy-db").value.equals("second ✓"));
      const versions = old.listSecretVersions("legacy-db").items;
      assert.equal(versions.length, 2);
      assert.ok(old.getSecret("legacy-db", versions.find((v) => v.contentType === "text/plain")!.version).value.equals("first"));
      const tampered = Buffer.from(blob);
      tampered[tampered.length - 1]! ^= 0x01;
      assert.throws(() => old.restoreSecretBackup(tampered), malformed);
    } finally {
      old.close();
    }
    f.vault = f.open();
  });
});
