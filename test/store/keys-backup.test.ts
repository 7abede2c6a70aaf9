// vault.keys backup / restore (every version, an opaque sealed blob), exportKey, and the canary:
// a recognisable private key never reaches the database, its WAL or shared memory, or any answer.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { DatabaseSync } from "node:sqlite";
import { LocalVault } from "../../src/store/local-vault.js";
import { START_SECONDS, VaultFixture } from "./vault-fixture.js";

const DAY = 86_400;
const malformed = { code: "InvalidValue", statusCode: 400, serviceCode: "Malformed backup blob" };

describe("vault.keys: backup, restore and export", () => {
  let f: VaultFixture;
  beforeEach(() => (f = new VaultFixture()));
  afterEach(() => f.dispose());

  async function threeVersions() {
    const v1 = await f.vault.keys.createKey("Backed", { kty: "EC", expiresOn: START_SECONDS + 999 * DAY, tags: { a: "1" } });
    f.advanceSeconds(60);
    const v2 = f.vault.keys.importKey("backed", generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }), {
      enabled: false,
      keyOps: ["sign", "verify"],
      hsm: true,
    });
    f.advanceSeconds(60);
    const v3 = await f.vault.keys.createKey("backed", { kty: "oct", keySize: 128, exportable: true });
    f.advanceSeconds(60);
    const v1u = f.vault.keys.updateKeyProperties("backed", v1.version, { tags: { edited: "yes" } });
    const policy = f.vault.keys.setRotationPolicy("backed", { lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P400D" }], expiresIn: "P2Y" });
    return { versions: [v1u, v2, v3] as const, policy };
  }

  it("round-trips every version, its material, ids, dates, attributes and the rotation policy", async () => {
    const { versions, policy } = await threeVersions();
    const digest = Buffer.alloc(32, 5);
    const signature = (await f.vault.keys.sign("backed", versions[0].version, "ES256", digest)).result;
    const blob = f.vault.keys.backupKey("BACKED");
    f.vault.keys.deleteKey("backed");
    f.vault.keys.purgeDeletedKey("backed");
    f.advanceSeconds(3600);
    const restored = f.vault.keys.restoreKeyBackup(blob);
    assert.deepEqual(restored, versions[2]);
    assert.deepEqual(f.vault.keys.listKeyVersions("backed").items, [...versions]);
    assert.deepEqual(f.vault.keys.getRotationPolicy("backed"), policy);
    assert.equal(await f.vault.keys.verify("backed", versions[0].version, "ES256", digest, signature), true, "the same EC material came back");
    assert.equal(f.vault.keys.exportKey("backed").k?.length, 22, "the exportable oct version came back with its 128-bit k");
  });

  it("makes an opaque blob: no name, member or tag in the clear; another kind's blob or a damaged one is refused", async () => {
    const { versions } = await threeVersions();
    const blob = f.vault.keys.backupKey("backed");
    assert.ok(blob.subarray(0, 21).toString("latin1").startsWith("ORBITRA-KEY-BACKUP"));
    for (const needle of ["backed", "Backed", "edited", versions[1].publicJwk.n!.slice(0, 16)]) {
      assert.equal(blob.includes(Buffer.from(needle)), false, needle);
    }
    assert.throws(() => f.vault.keys.restoreKeyBackup(blob), { code: "Conflict", statusCode: 409 }, "the name must be free");
    f.vault.keys.deleteKey("backed");
    assert.throws(() => f.vault.keys.restoreKeyBackup(blob), { code: "Conflict" }, "a deleted key still holds the name");
    f.vault.keys.purgeDeletedKey("backed");
    const damaged = Buffer.from(blob);
    damaged[damaged.length - 3]! ^= 1;
    assert.throws(() => f.vault.keys.restoreKeyBackup(damaged), malformed);
    f.vault.setSecret("s", "v");
    assert.throws(() => f.vault.keys.restoreKeyBackup(f.vault.backupSecret("s")), malformed);
    assert.throws(() => f.vault.restoreSecretBackup(blob), malformed);
    assert.throws(() => f.vault.keys.restoreKeyBackup(Buffer.from("nonsense")), malformed);
    assert.deepEqual(f.vault.keys.listKeys().items, [], "nothing half-restored");
    assert.throws(() => f.vault.keys.backupKey("missing"), { code: "KeyNotFound" });
  });

  it("refuses to back up a key with more than 500 versions, as Key Vault does", () => {
    const oct = { kty: "oct", k: Buffer.alloc(16, 2).toString("base64url") };
    for (let i = 0; i < 501; i++) f.vault.keys.importKey("many", oct);
    assert.throws(() => f.vault.keys.backupKey("many"), { code: "InvalidValue", statusCode: 400, message: /more than 500 versions/ });
  });

  it("restores into another vault that shares the backup key, with another vault key", async () => {
    await threeVersions();
    const blob = f.vault.keys.backupKey("backed");
    const sibling = LocalVault.open({ path: join(f.dir, "sibling.db"), key: Buffer.alloc(32, 1), env: {} });
    try {
      assert.equal(sibling.keys.restoreKeyBackup(blob).name, "Backed");
      assert.equal((await sibling.keys.sign("backed", undefined, "HS256", Buffer.alloc(32))).result.byteLength, 32);
    } finally {
      sibling.close();
    }
  });

  it("exports the private JWK of an exportable key only (403 otherwise)", async () => {
    const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
    f.vault.keys.importKey("out", jwk, { exportable: true });
    const exported = f.vault.keys.exportKey("out");
    assert.equal(exported.d, jwk.d);
    assert.deepEqual(exported.key_ops, ["sign", "verify"]);
    await f.vault.keys.createKey("kept", { kty: "RSA" });
    assert.throws(() => f.vault.keys.exportKey("kept"), { code: "PermissionDenied", statusCode: 403, message: /not exportable/ });
    assert.throws(() => f.vault.keys.exportKey("missing"), { code: "KeyNotFound" });
  });
});

describe("vault.keys: a canary private key never reaches the disk or an answer", () => {
  let f: VaultFixture;
  beforeEach(() => (f = new VaultFixture()));
  afterEach(() => f.dispose());

  it("scans the database, its WAL and shared memory after every kind of write", async () => {
    const jwk = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
    const oct = { kty: "oct", k: Buffer.from("CANARY-AES-KEY-0123456789abcdef!").toString("base64url") };
    const secretsOf = [jwk.d!, jwk.p!, jwk.q!, jwk.dp!, ec.d!, oct.k];
    const needles = secretsOf.flatMap((b64) => {
      const raw = Buffer.from(b64, "base64url");
      return [Buffer.from(b64.slice(0, 24)), raw.subarray(0, 16), Buffer.from(raw.subarray(0, 16).toString("hex"))];
    });
    const scan = (when: string) => {
      let scanned = 0;
      for (const file of [f.path, `${f.path}-wal`, `${f.path}-shm`]) {
        if (!existsSync(file)) continue;
        const bytes = readFileSync(file);
        scanned += bytes.length;
        for (const needle of needles) assert.equal(bytes.includes(needle), false, `private material in ${file} (${when})`);
      }
      return scanned;
    };
    for (let i = 0; i < 10; i++) {
      f.vault.keys.importKey(`rsa-${i % 3}`, jwk, { exportable: i % 2 === 0 });
      f.vault.keys.importKey(`ec-${i % 3}`, ec);
      f.vault.keys.importKey(`oct-${i % 3}`, oct);
    }
    f.vault.keys.updateKeyProperties("rsa-0", undefined, { enabled: false });
    f.vault.keys.restoreKeyBackup((() => {
      const blob = f.vault.keys.backupKey("ec-1");
      f.vault.keys.deleteKey("ec-1");
      f.vault.keys.purgeDeletedKey("ec-1");
      return blob;
    })());
    f.vault.keys.deleteKey("oct-2");
    f.vault.keys.recoverDeletedKey("oct-2");
    await f.vault.keys.sign("ec-0", undefined, "ES256", Buffer.alloc(32));
    const answers = JSON.stringify([f.vault.keys.listKeys().items, f.vault.keys.listKeyVersions("rsa-1").items, f.vault.keys.getKey("oct-1")]);
    for (const b64 of secretsOf) assert.equal(answers.includes(b64.slice(0, 24)), false, "no private member in an answer");
    const refused = await f.vault.keys.sign("rsa-0", undefined, "RS256", Buffer.alloc(32)).catch((e: Error) => e);
    for (const b64 of secretsOf) assert.equal(String((refused as Error).message + (refused as Error).stack).includes(b64.slice(0, 24)), false);
    assert.ok(statSync(`${f.path}-wal`).size > 50_000, "the writes still sit in the WAL");
    assert.ok(scan("open") > 0);
    f.vault.close();
    assert.ok(scan("after close and checkpoint") > 0);
    f.vault = f.open();
    assert.equal(f.vault.keys.exportKey("rsa-2").d, jwk.d, "and the material is all there");
    const db = new DatabaseSync(f.path, { readOnly: true });
    try {
      const rows = db.prepare("SELECT public_jwk FROM key_versions").all() as { public_jwk: string }[];
      assert.ok(rows.length > 0);
      for (const row of rows) assert.doesNotMatch(row.public_jwk, /"(d|p|q|dp|dq|qi|k)"/);
    } finally {
      db.close();
    }
  });

  it("a key's sealed private part copied onto a secret's row of the same name and version does not open as its value", async () => {
    const key = await f.vault.keys.createKey("same", { kty: "EC" });
    f.vault.setSecret("same", "the secret");
    f.vault.close();
    const db = new DatabaseSync(f.path);
    try {
      const { private: sealed } = db.prepare("SELECT private FROM key_versions").get() as { private: Uint8Array };
      db.prepare("UPDATE versions SET value = ?, version = ?").run(sealed, key.version);
    } finally {
      db.close();
    }
    f.vault = f.open();
    assert.throws(() => f.vault.getSecret("same"), { code: "Configuration", message: /Cannot decrypt version/ });
  });
});
