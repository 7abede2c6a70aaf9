// vault.keys on real SQLite files: create / import / get / update / list / versions, and the
// separate name space from secrets. Crypto, lifecycle, rotation and backup have their own files.
import assert from "node:assert/strict";
import { createHash, createPublicKey, generateKeyPairSync, verify as nodeVerify } from "node:crypto";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { JsonWebKey } from "../../src/crypto/types.js";
import { START_SECONDS, VaultFixture } from "./vault-fixture.js";

const RSA_OPS = ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"];

export function rsaJwk(): JsonWebKey {
  return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }) as JsonWebKey;
}

describe("vault.keys: create, import, get, update, list", () => {
  let f: VaultFixture;
  beforeEach(() => (f = new VaultFixture()));
  afterEach(() => f.dispose());

  it("creates an RSA key with Key Vault's defaults: 2048 bits, e=AQAB, all six key_ops, public JWK only", async () => {
    const key = await f.vault.keys.createKey("Signer", { kty: "RSA" });
    assert.equal(key.name, "Signer");
    assert.match(key.version, /^[0-9a-f]{32}$/);
    assert.equal(key.kty, "RSA");
    assert.equal(key.keySize, 2048);
    assert.deepEqual(key.keyOps, RSA_OPS);
    assert.equal(key.publicJwk.e, "AQAB");
    assert.deepEqual(Object.keys(key.publicJwk), ["kty", "key_ops", "n", "e"]);
    assert.equal(createPublicKey({ key: key.publicJwk as never, format: "jwk" }).asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal(key.enabled, true);
    assert.equal(key.exportable, false);
    assert.equal(key.managed, false);
    assert.equal(key.created, START_SECONDS);
    assert.equal(key.recoveryLevel, "Recoverable+Purgeable");
    assert.equal(key.recoverableDays, 90);
    assert.deepEqual(f.vault.keys.getKey("signer"), key);
  });

  it("creates EC keys on each curve with sign/verify only, oct keys of each size, and -HSM types", async () => {
    for (const crv of ["P-256", "P-384", "P-521", "P-256K"] as const) {
      const key = await f.vault.keys.createKey(`ec-${crv}`, { kty: "EC-HSM", crv });
      assert.equal(key.kty, "EC-HSM");
      assert.equal(key.crv, crv);
      assert.equal(key.keySize, undefined);
      assert.deepEqual(key.keyOps, ["sign", "verify"]);
      assert.ok(key.publicJwk.x && key.publicJwk.y && key.publicJwk.d === undefined);
    }
    assert.equal((await f.vault.keys.createKey("ec-default", { kty: "EC" })).crv, "P-256");
    for (const keySize of [128, 192, 256]) {
      const key = await f.vault.keys.createKey(`aes-${keySize}`, { kty: "oct-HSM", keySize });
      assert.equal(key.keySize, keySize);
      assert.deepEqual(key.publicJwk, { kty: "oct-HSM", key_ops: RSA_OPS }, "an oct key shows no material at all");
    }
    const rsa = await f.vault.keys.createKey("rsa3072", { kty: "RSA-HSM", keySize: 3072, publicExponent: 3, keyOps: ["sign", "verify"] });
    assert.equal(rsa.keySize, 3072);
    assert.equal(rsa.publicJwk.e, "Aw");
    assert.deepEqual(rsa.keyOps, ["sign", "verify"]);
  });

  it("keeps the attributes and tags given at creation", async () => {
    const key = await f.vault.keys.createKey("k", {
      kty: "EC",
      enabled: false,
      notBefore: START_SECONDS - 10,
      expiresOn: START_SECONDS + 3600,
      exportable: true,
      tags: { team: "core" },
    });
    assert.equal(key.enabled, false);
    assert.equal(key.notBefore, START_SECONDS - 10);
    assert.equal(key.expiresOn, START_SECONDS + 3600);
    assert.equal(key.exportable, true);
    assert.deepEqual(key.tags, { team: "core" });
    assert.deepEqual(f.vault.keys.getKey("k"), key, "a disabled key can still be read (its metadata)");
  });

  it("refuses bad input with Key Vault's codes and writes nothing", async () => {
    const refusals: [() => unknown, RegExp | string][] = [
      [() => f.vault.keys.createKey("bad_name", { kty: "RSA" }), "InvalidName"],
      [() => f.vault.keys.createKey("k", { kty: "DSA" as never }), "InvalidValue"],
      [() => f.vault.keys.createKey("k", { kty: "RSA", keySize: 1024 }), "InvalidValue"],
      [() => f.vault.keys.createKey("k", { kty: "EC", crv: "P-192" as never }), "InvalidValue"],
      [() => f.vault.keys.createKey("k", { kty: "oct", keySize: 512 }), "InvalidValue"],
      [() => f.vault.keys.createKey("k", { kty: "RSA", keyOps: ["fly" as never] }), "InvalidValue"],
      [() => f.vault.keys.createKey("k", { kty: "RSA", enabled: "yes" as never }), "InvalidValue"],
      [() => f.vault.keys.createKey("k", { kty: "RSA", expiresOn: 1.5 }), "InvalidValue"],
      [() => f.vault.keys.createKey("k", { kty: "RSA", tags: { t: 1 as never } }), "InvalidValue"],
    ];
    for (const [call, code] of refusals) {
      await assert.rejects(async () => call(), (error: { code: string; statusCode?: number }) => {
        assert.equal(error.code, code);
        return true;
      });
    }
    assert.deepEqual(f.vault.keys.listKeys().items, []);
  });

  it("imports a private JWK (RSA, EC, oct), keeps its key_ops, honours the Hsm flag, never shows d", () => {
    const jwk = rsaJwk();
    const key = f.vault.keys.importKey("imported", { ...jwk, key_ops: ["sign", "verify"] }, { hsm: true, tags: { from: "pem" } });
    assert.equal(key.kty, "RSA-HSM");
    assert.deepEqual(key.keyOps, ["sign", "verify"]);
    assert.equal(key.publicJwk.n, jwk.n);
    assert.equal(key.publicJwk.d, undefined);
    assert.deepEqual(key.tags, { from: "pem" });
    assert.deepEqual(f.vault.keys.importKey("plain", jwk).keyOps, RSA_OPS, "no key_ops: the family's default");
    assert.deepEqual(f.vault.keys.importKey("ops", jwk, { keyOps: ["encrypt"] }).keyOps, ["encrypt"], "the request's key_ops win");
    const ec = generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey.export({ format: "jwk" });
    assert.equal(f.vault.keys.importKey("ec", ec).crv, "P-384");
    const oct = f.vault.keys.importKey("oct", { kty: "oct", k: Buffer.alloc(16, 1).toString("base64url") });
    assert.equal(oct.keySize, 128);
    assert.equal(oct.publicJwk.k, undefined);
  });

  it("refuses a JWK without its private part, or whose parts do not belong together", () => {
    const jwk = rsaJwk();
    const { d: _d, ...publicOnly } = jwk;
    assert.throws(() => f.vault.keys.importKey("k", publicOnly), { code: "InvalidValue", serviceCode: "BadParameter" });
    assert.throws(() => f.vault.keys.importKey("k", { ...jwk, d: rsaJwk().d }), { code: "InvalidValue", serviceCode: "BadParameter" });
    assert.throws(() => f.vault.keys.importKey("k", "not a jwk"), { code: "InvalidValue" });
    assert.throws(() => f.vault.keys.importKey("k", { ...jwk, key_ops: ["nope"] }), { code: "InvalidValue" });
    assert.deepEqual(f.vault.keys.listKeys().items, []);
  });

  it("a new create or import under a name adds a version; get by version, case-insensitively", async () => {
    const first = await f.vault.keys.createKey("K", { kty: "EC" });
    f.advanceSeconds(5);
    const second = f.vault.keys.importKey("k", rsaJwk());
    assert.equal(second.name, "K", "the name keeps the casing of its first write");
    assert.equal(f.vault.keys.getKey("k").version, second.version);
    assert.equal(f.vault.keys.getKey("K", first.version.toUpperCase()).kty, "EC");
    assert.deepEqual(
      f.vault.keys.listKeyVersions("k").items.map((v) => v.version),
      [first.version, second.version],
    );
    assert.throws(() => f.vault.keys.getKey("k", "0".repeat(32)), { code: "KeyNotFound", statusCode: 404, serviceCode: "KeyNotFound" });
    assert.throws(() => f.vault.keys.getKey("missing"), { code: "KeyNotFound", message: /A key with \(name\/id\) missing was not found/ });
    assert.throws(() => f.vault.keys.getKey("k", "xyz"), { code: "InvalidName" });
  });

  it("keys and secrets have separate name spaces", async () => {
    f.vault.setSecret("shared", "value");
    await f.vault.keys.createKey("shared", { kty: "EC" });
    f.vault.deleteSecret("shared");
    assert.equal(f.vault.keys.getKey("shared").kty, "EC");
    assert.deepEqual(f.vault.listSecrets().items, []);
    assert.deepEqual(f.vault.keys.listKeys().items.map((k) => k.name), ["shared"]);
  });

  it("updates one version's attributes, tags and key_ops; absent members stay", async () => {
    const first = await f.vault.keys.createKey("k", { kty: "RSA", tags: { a: "1" } });
    const second = await f.vault.keys.createKey("k", { kty: "RSA" });
    f.advanceSeconds(60);
    const updated = f.vault.keys.updateKeyProperties("k", first.version, { enabled: false, expiresOn: START_SECONDS + 999, keyOps: ["verify"] });
    assert.equal(updated.version, first.version);
    assert.equal(updated.enabled, false);
    assert.equal(updated.expiresOn, START_SECONDS + 999);
    assert.deepEqual(updated.keyOps, ["verify"]);
    assert.deepEqual(updated.publicJwk.key_ops, ["verify"]);
    assert.deepEqual(updated.tags, { a: "1" }, "tags not given: kept");
    assert.equal(updated.updated, START_SECONDS + 60);
    assert.equal(updated.created, START_SECONDS);
    assert.deepEqual(f.vault.keys.getKey("k", first.version), updated);
    assert.equal(f.vault.keys.getKey("k").version, second.version, "an update does not change which version is latest");
    const latest = f.vault.keys.updateKeyProperties("k", undefined, { tags: { b: "2" }, enabled: true });
    assert.equal(latest.version, second.version);
    assert.deepEqual(latest.tags, { b: "2" });
    assert.deepEqual(f.vault.keys.updateKeyProperties("k", undefined, { tags: {} }).tags, {});
    assert.throws(() => f.vault.keys.updateKeyProperties("k", undefined, { keyOps: ["bad" as never] }), { code: "InvalidValue" });
    assert.throws(() => f.vault.keys.updateKeyProperties("nope", undefined, { enabled: true }), { code: "KeyNotFound" });
  });

  it("lists the latest version of each key by name, in pages", async () => {
    for (const name of ["b", "A", "c"]) await f.vault.keys.createKey(name, { kty: "oct" });
    await f.vault.keys.createKey("a", { kty: "EC" });
    const page1 = f.vault.keys.listKeys({ limit: 2 });
    assert.deepEqual(page1.items.map((k) => [k.name, k.kty]), [["A", "EC"], ["b", "oct"]]);
    const page2 = f.vault.keys.listKeys({ limit: 2, after: page1.next! });
    assert.deepEqual(page2.items.map((k) => k.name), ["c"]);
    assert.equal(page2.next, undefined);
    assert.throws(() => f.vault.keys.listKeys({ after: "garbage" }), { code: "InvalidValue" });
  });

  it("survives a reopen: the sealed private part still signs", async () => {
    const key = await f.vault.keys.createKey("persist", { kty: "EC", crv: "P-256" });
    f.reopen();
    const data = Buffer.from("signed after a reopen");
    const digest = createHash("sha256").update(data).digest();
    const { result } = await f.vault.keys.sign("persist", undefined, "ES256", digest);
    const publicKey = createPublicKey({ key: key.publicJwk as never, format: "jwk" });
    assert.equal(nodeVerify("sha256", data, { key: publicKey, dsaEncoding: "ieee-p1363" }, result), true);
    assert.equal(await f.vault.keys.verify("persist", key.version, "ES256", digest, result), true);
  });

  it("deleteEverything clears keys too", async () => {
    await f.vault.keys.createKey("k", { kty: "EC" });
    f.vault.deleteEverything();
    assert.deepEqual(f.vault.keys.listKeys().items, []);
    assert.equal((await f.vault.keys.createKey("k", { kty: "EC" })).name, "k");
  });
});
