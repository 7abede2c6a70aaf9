import assert from "node:assert/strict";
import { createPublicKey } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { OrbitraKeysClient } from "../../src/client/keys-client.js";
import type { KeyVaultKey } from "../../src/core/key-types.js";
import type { KeyType } from "../../src/crypto/types.js";
import { runKeysCryptoContract } from "./keys-contract-crypto.js";

export interface KeysContractFixture {
  client: OrbitraKeysClient;
  cleanup(): Promise<void>;
}

export interface KeysContractContext {
  client(): OrbitraKeysClient;
  /** A name no other test of this run uses. */
  fresh(stem: string): string;
}

const PRIVATE_MEMBERS = ["d", "dp", "dq", "qi", "p", "q", "k"] as const;

/** A key as a vault may hand it out: public members only, `kid` the versioned id. */
export function assertPublicOnly(key: KeyVaultKey): void {
  for (const member of PRIVATE_MEMBERS) assert.equal(key.key[member], undefined, `no '${member}' in a key's JWK`);
  assert.equal(key.key.kid, key.properties.id);
  assert.match(key.properties.version!, /^[0-9a-f]{32}$/);
}

/**
 * The keys client's semantics, written once and run against the local store in-process and the
 * Key Vault backend (official SDK) through `orbitra vault serve`, like secrets-contract.ts: every
 * key type, size and curve, and (keys-contract-crypto.ts) every algorithm.
 */
export function runKeysContract(label: string, setup: () => Promise<KeysContractFixture>): void {
  describe(`keys contract: ${label}`, () => {
    let fixture: KeysContractFixture;
    let n = 0;
    const context: KeysContractContext = {
      client: () => fixture.client,
      fresh: (stem) => `${stem}-${++n}-${Math.random().toString(16).slice(2, 8)}`,
    };
    const { fresh } = context;
    const client = (): OrbitraKeysClient => fixture.client;

    before(async () => {
      fixture = await setup();
    });
    after(async () => {
      await fixture.cleanup();
    });

    const types: [KeyType, Record<string, unknown>, (k: KeyVaultKey) => void][] = [
      ["RSA", { keySize: 2048 }, (k) => assert.equal(Buffer.from(k.key.n!, "base64url").byteLength, 256)],
      ["RSA", { keySize: 3072, publicExponent: 65537 }, (k) => assert.equal(k.key.e, "AQAB")],
      ["RSA-HSM", { keySize: 4096 }, (k) => assert.equal(Buffer.from(k.key.n!, "base64url").byteLength, 512)],
      ["EC", { curve: "P-256" }, (k) => assert.equal(k.key.crv, "P-256")],
      ["EC", { curve: "P-384" }, (k) => assert.equal(k.key.crv, "P-384")],
      ["EC-HSM", { curve: "P-521" }, (k) => assert.equal(k.key.crv, "P-521")],
      ["EC", { curve: "P-256K" }, (k) => assert.equal(k.key.crv, "P-256K")],
      ["oct", { keySize: 128 }, (k) => assert.equal(k.key.k, undefined)],
      ["oct", { keySize: 192 }, (k) => assert.equal(k.key.k, undefined)],
      ["oct-HSM", { keySize: 256 }, (k) => assert.equal(k.key.k, undefined)],
    ];
    for (const [keyType, options, check] of types) {
      it(`creates ${keyType} ${JSON.stringify(options)}: public JWK only, versioned kid`, async () => {
        const key = await client().createKey(fresh(keyType.toLowerCase()), keyType, options);
        assert.equal(key.keyType, keyType);
        assert.equal(key.key.kty, keyType);
        assertPublicOnly(key);
        check(key);
        if (!keyType.startsWith("oct") && key.key.crv !== "P-256K") {
          const { kid: _kid, key_ops: _ops, kty, ...members } = key.key;
          createPublicKey({ key: { ...members, kty: kty.replace("-HSM", "") } as never, format: "jwk" });
        }
      });
    }

    it("createRsaKey / createEcKey / createOctKey name the type, and `hsm` its -HSM form", async () => {
      assert.equal((await client().createRsaKey(fresh("rsa"))).keyType, "RSA");
      assert.equal((await client().createEcKey(fresh("ec"), { hsm: true })).keyType, "EC-HSM");
      assert.equal((await client().createOctKey(fresh("oct"))).keyType, "oct");
    });

    it("keeps attributes: tags, dates, enabled, key operations", async () => {
      const notBefore = new Date("2026-01-01T00:00:00Z");
      const expiresOn = new Date("2036-01-01T00:00:00Z");
      const key = await client().createEcKey(fresh("attrs"), { tags: { team: "a" }, notBefore, expiresOn, enabled: true, keyOps: ["sign", "verify"] });
      const read = await client().getKey(key.properties.name);
      assert.deepEqual(read.properties.tags, { team: "a" });
      assert.equal(read.properties.notBefore?.getTime(), notBefore.getTime());
      assert.equal(read.properties.expiresOn?.getTime(), expiresOn.getTime());
      assert.equal(read.properties.enabled, true);
      assert.deepEqual([...read.keyOperations].sort(), ["sign", "verify"]);
    });

    it("throws KeyNotFound for a missing key and a missing version", async () => {
      await assert.rejects(client().getKey(fresh("missing")), { code: "KeyNotFound" });
      const name = fresh("one");
      await client().createEcKey(name);
      await assert.rejects(client().getKey(name, { version: "0".repeat(32) }), { code: "KeyNotFound" });
    });

    it("rotates: a new version with the same parameters; versions listed; latest wins; old readable", async () => {
      const name = fresh("rotated");
      const first = await client().createRsaKey(name, { keySize: 3072 });
      const second = await client().rotateKey(name);
      assert.notEqual(second.properties.version, first.properties.version);
      assert.equal(second.keyType, "RSA");
      assert.equal(Buffer.from(second.key.n!, "base64url").byteLength, 384);
      assert.notEqual(second.key.n, first.key.n);
      assert.equal((await client().getKey(name)).properties.version, second.properties.version);
      assert.equal((await client().getKey(name, { version: first.properties.version! })).key.n, first.key.n);
      const versions = (await client().listKeyVersions(name)).map((v) => v.version).sort();
      assert.deepEqual(versions, [first.properties.version, second.properties.version].sort());
    });

    it("lists keys by name, without a version, without deleted ones", async () => {
      const a = fresh("list-a");
      const b = fresh("list-b");
      await client().createEcKey(a);
      await client().createEcKey(b);
      await client().deleteKey(b);
      const listed = await client().listKeys();
      const mine = listed.filter((k) => k.name === a || k.name === b);
      assert.deepEqual(mine.map((k) => k.name), [a]);
      assert.equal(mine[0]!.version, undefined);
      assert.equal(mine[0]!.id, `${mine[0]!.vaultUrl}/keys/${a}`);
    });

    it("updates one version's properties; absent members stay", async () => {
      const name = fresh("update");
      const key = await client().createRsaKey(name, { tags: { a: "1" } });
      const updated = await client().updateKeyProperties(name, { enabled: false, keyOps: ["verify"] });
      assert.equal(updated.properties.enabled, false);
      assert.deepEqual(updated.properties.tags, { a: "1" });
      assert.deepEqual(updated.keyOperations, ["verify"]);
      const byVersion = await client().updateKeyProperties(name, { tags: { b: "2" } }, { version: key.properties.version! });
      assert.deepEqual(byVersion.properties.tags, { b: "2" });
      assert.equal(byVersion.properties.enabled, false);
      // A disabled key can still be read (unlike a secret), so it can be enabled again by name alone.
      assert.equal((await client().getKey(name)).properties.enabled, false);
      assert.equal((await client().updateKeyProperties(name, { enabled: true })).properties.enabled, true);
    });

    it("soft-deletes: listed as deleted, name held, recoverable with its versions; purge frees it", async () => {
      const name = fresh("deleted");
      const first = await client().createEcKey(name);
      await client().rotateKey(name);
      const deleted = await client().deleteKey(name);
      assert.match(deleted.recoveryId, new RegExp(`/deletedkeys/${name}$`));
      assert.ok(deleted.scheduledPurgeDate.getTime() > deleted.deletedOn.getTime());
      await assert.rejects(client().getKey(name), { code: "KeyNotFound" });
      assert.ok((await client().listDeletedKeys()).some((d) => d.name === name));
      assert.equal((await client().getDeletedKey(name)).key.crv, "P-256");
      await assert.rejects(client().createEcKey(name), { code: "Conflict" });
      await client().recoverDeletedKey(name);
      assert.equal((await client().listKeyVersions(name)).length, 2);
      assert.equal((await client().getKey(name, { version: first.properties.version! })).key.x, first.key.x);
      await client().deleteKey(name);
      await client().purgeDeletedKey(name);
      await assert.rejects(client().getDeletedKey(name), { code: "KeyNotFound" });
      await client().createEcKey(name);
    });

    it("refuses delete, purge and recover of unknown names with KeyNotFound", async () => {
      await assert.rejects(client().deleteKey(fresh("nope")), { code: "KeyNotFound" });
      await assert.rejects(client().purgeDeletedKey(fresh("nope")), { code: "KeyNotFound" });
      await assert.rejects(client().recoverDeletedKey(fresh("nope")), { code: "KeyNotFound" });
    });

    it("backs up every version and restores them after a purge; a second restore conflicts", async () => {
      const name = fresh("backup");
      const first = await client().createRsaKey(name);
      await client().rotateKey(name);
      const blob = await client().backupKey(name);
      assert.ok(blob.byteLength > 0);
      await client().deleteKey(name);
      await client().purgeDeletedKey(name);
      const restored = await client().restoreKeyBackup(blob);
      assert.equal(restored.properties.name, name);
      assert.equal((await client().listKeyVersions(name)).length, 2);
      assert.equal((await client().getKey(name, { version: first.properties.version! })).key.n, first.key.n);
      await assert.rejects(client().restoreKeyBackup(blob), { code: "Conflict" });
    });

    it("keeps a rotation policy", async () => {
      const name = fresh("policy");
      await client().createEcKey(name);
      const set = await client().updateKeyRotationPolicy(name, { lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P30D" }], expiresIn: "P90D" });
      assert.equal(set.expiresIn, "P90D");
      const read = await client().getKeyRotationPolicy(name);
      assert.deepEqual(read.lifetimeActions, [{ action: "Rotate", timeAfterCreate: "P30D" }]);
      assert.equal(read.expiresIn, "P90D");
    });

    it("imports RSA, EC and oct JWKs with their private members, `hardwareProtected` giving -HSM; only the public half comes back", async () => {
      const { generateKeyPairSync, randomBytes } = await import("node:crypto");
      const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
      const ec = generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey.export({ format: "jwk" });
      const rsaKey = await client().importKey(fresh("imp-rsa"), { ...rsa, kty: "RSA" } as never);
      assert.equal(rsaKey.key.n, rsa.n);
      assertPublicOnly(rsaKey);
      const ecKey = await client().importKey(fresh("imp-ec"), { ...ec, kty: "EC" } as never, { hardwareProtected: true });
      assert.equal(ecKey.keyType, "EC-HSM");
      assert.equal(ecKey.key.x, ec.x);
      assertPublicOnly(ecKey);
      const octKey = await client().importKey(fresh("imp-oct"), { kty: "oct", k: randomBytes(32).toString("base64url") });
      assert.equal(octKey.key.k, undefined);
      await assert.rejects(client().importKey(fresh("imp-bad"), { kty: "RSA", n: "AQAB" }), { code: "InvalidValue" });
    });

    it("refuses bad names, types, algorithms, operations and counts before any request", async () => {
      await assert.rejects(client().createKey("bad_name", "RSA"), { code: "InvalidName" });
      await assert.rejects(client().createKey(fresh("t"), "DSA" as never), { code: "InvalidValue" });
      await assert.rejects(client().createEcKey(fresh("t"), { keyOps: ["launch" as never] }), { code: "InvalidValue" });
      await assert.rejects(client().encrypt(fresh("t"), "ROT13" as never, new Uint8Array(1)), { code: "InvalidValue" });
      await assert.rejects(client().sign(fresh("t"), "ES256", "digest" as never), { code: "InvalidValue" });
      await assert.rejects(client().getKey(fresh("t"), { version: "v1" }), { code: "InvalidName" });
      await assert.rejects(client().getRandomBytes(0), { code: "InvalidValue" });
      await assert.rejects(client().getRandomBytes(129), { code: "InvalidValue" });
    });

    it("gives 1 to 128 random bytes", async () => {
      assert.equal((await client().getRandomBytes(1)).byteLength, 1);
      const a = await client().getRandomBytes(128);
      assert.equal(a.byteLength, 128);
      assert.notDeepEqual(a, await client().getRandomBytes(128));
    });

    runKeysCryptoContract(context);
  });
}
