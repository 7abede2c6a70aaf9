// vault.keys rotation: rotateKey, the rotation policy (get / set / its checks) and auto-rotation on
// the injected clock, on real SQLite files.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { START, START_SECONDS, VaultFixture } from "./vault-fixture.js";

const DAY = 86_400;
const bad = { code: "InvalidValue", statusCode: 400, serviceCode: "BadParameter" };

describe("vault.keys: rotation and the rotation policy", () => {
  let f: VaultFixture;
  beforeEach(() => (f = new VaultFixture()));
  afterEach(() => f.dispose());

  it("rotateKey makes a new version with the same type, size, exponent, key_ops and tags, and new material", async () => {
    const first = await f.vault.keys.createKey("k", { kty: "RSA-HSM", keySize: 3072, publicExponent: 3, keyOps: ["sign", "verify"], tags: { t: "1" } });
    f.advanceSeconds(30);
    const rotated = await f.vault.keys.rotateKey("K");
    assert.notEqual(rotated.version, first.version);
    assert.equal(rotated.kty, "RSA-HSM");
    assert.equal(rotated.keySize, 3072);
    assert.equal(rotated.publicJwk.e, "Aw");
    assert.notEqual(rotated.publicJwk.n, first.publicJwk.n);
    assert.deepEqual(rotated.keyOps, ["sign", "verify"]);
    assert.deepEqual(rotated.tags, { t: "1" });
    assert.equal(rotated.created, START_SECONDS + 30);
    assert.equal(rotated.expiresOn, undefined, "no policy: no expiry");
    assert.equal(f.vault.keys.getKey("k").version, rotated.version);
    const ec = await f.vault.keys.createKey("ec", { kty: "EC", crv: "P-521" });
    assert.equal((await f.vault.keys.rotateKey("ec")).crv, "P-521");
    assert.equal((await f.vault.keys.rotateKey("ec")).publicJwk.x === ec.publicJwk.x, false);
    await assert.rejects(f.vault.keys.rotateKey("missing"), { code: "KeyNotFound" });
  });

  it("a key that never had a policy answers Key Vault's default; set returns and keeps what was set", async () => {
    await f.vault.keys.createKey("k", { kty: "EC" });
    assert.deepEqual(f.vault.keys.getRotationPolicy("k"), { lifetimeActions: [{ action: "Notify", timeBeforeExpiry: "P30D" }] });
    const set = f.vault.keys.setRotationPolicy("k", {
      lifetimeActions: [
        { action: "Rotate", timeAfterCreate: "P90D" },
        { action: "Notify", timeBeforeExpiry: "P30D" },
      ],
      expiresIn: "P1Y",
    });
    assert.deepEqual(set.createdOn, new Date(START));
    assert.deepEqual(f.vault.keys.getRotationPolicy("K"), set);
    f.advanceSeconds(60);
    const again = f.vault.keys.setRotationPolicy("k", { lifetimeActions: [{ action: "rotate" as never, timeAfterCreate: "P30D" }], expiresIn: "P60D" });
    assert.deepEqual(again.lifetimeActions, [{ action: "Rotate", timeAfterCreate: "P30D" }], "the type is read case-insensitively");
    assert.deepEqual(again.createdOn, new Date(START), "created stays");
    assert.deepEqual(again.updatedOn, new Date(START + 60_000));
    assert.deepEqual(f.vault.keys.setRotationPolicy("k", { lifetimeActions: [] }).lifetimeActions, [{ action: "Notify", timeBeforeExpiry: "P30D" }]);
    assert.throws(() => f.vault.keys.getRotationPolicy("missing"), { code: "KeyNotFound" });
    assert.throws(() => f.vault.keys.setRotationPolicy("missing", { lifetimeActions: [] }), { code: "KeyNotFound" });
  });

  it("refuses a policy Key Vault refuses, and keeps the old one", async () => {
    await f.vault.keys.createKey("k", { kty: "EC" });
    const kept = f.vault.keys.setRotationPolicy("k", { lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D" }] });
    const refused: unknown[] = [
      { lifetimeActions: [{ action: "Rotate", timeAfterCreate: "90 days" }] },
      { lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P" }] },
      { lifetimeActions: [{ action: "Rotate" }] },
      { lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D", timeBeforeExpiry: "P30D" }] },
      { lifetimeActions: [{ action: "Delete", timeAfterCreate: "P90D" }] },
      { lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P1D" }] },
      { lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P30D" }, { action: "Rotate", timeAfterCreate: "P60D" }] },
      { lifetimeActions: [], expiresIn: "P27D" },
      { lifetimeActions: [], expiresIn: "PT48H" },
      { lifetimeActions: [{ action: "Rotate", timeBeforeExpiry: "P60D" }], expiresIn: "P60D" },
      { lifetimeActions: "Rotate" },
      null,
    ];
    for (const policy of refused) assert.throws(() => f.vault.keys.setRotationPolicy("k", policy as never), bad, JSON.stringify(policy));
    assert.deepEqual(f.vault.keys.getRotationPolicy("k"), kept);
    for (const ok of ["P28D", "P1M", "P3M", "P1Y10D", "PT720H"]) f.vault.keys.setRotationPolicy("k", { lifetimeActions: [], expiresIn: ok });
  });

  it("rotateKey applies the policy's expiryTime to the new version", async () => {
    await f.vault.keys.createKey("k", { kty: "EC" });
    f.vault.keys.setRotationPolicy("k", { lifetimeActions: [], expiresIn: "P3M" });
    const rotated = await f.vault.keys.rotateKey("k");
    assert.equal(rotated.expiresOn, Date.UTC(2026, 3, 1) / 1000, "three calendar months after 2026-01-01");
  });

  it("auto-rotates on read once timeAfterCreate has passed on the clock, once per period", async () => {
    const first = await f.vault.keys.createKey("k", { kty: "EC", tags: { a: "b" } });
    f.vault.keys.setRotationPolicy("k", { lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P30D" }], expiresIn: "P90D" });
    f.advanceSeconds(30 * DAY - 1);
    assert.equal(f.vault.keys.getKey("k").version, first.version, "not yet due");
    f.advanceSeconds(1);
    const rotated = f.vault.keys.getKey("k");
    assert.notEqual(rotated.version, first.version, "due: the read rotated it before answering");
    assert.equal(rotated.created, START_SECONDS + 30 * DAY);
    assert.equal(rotated.expiresOn, START_SECONDS + 120 * DAY);
    assert.deepEqual(rotated.tags, { a: "b" });
    f.advanceSeconds(10);
    assert.equal(f.vault.keys.listKeyVersions("k").items.length, 2, "the next period counts from the new version");
    f.advanceSeconds(30 * DAY);
    await f.vault.keys.sign("k", undefined, "ES256", Buffer.alloc(32));
    assert.equal(f.vault.keys.listKeyVersions("k").items.length, 3, "a crypto call rotates too");
  });

  it("auto-rotates timeBeforeExpiry from the latest version's expiry; an expiry moved by update moves it", async () => {
    const first = await f.vault.keys.createKey("k", { kty: "oct", expiresOn: START_SECONDS + 40 * DAY });
    f.vault.keys.setRotationPolicy("k", { lifetimeActions: [{ action: "Rotate", timeBeforeExpiry: "P10D" }], expiresIn: "P40D" });
    f.vault.keys.updateKeyProperties("k", undefined, { expiresOn: START_SECONDS + 50 * DAY });
    f.advanceSeconds(30 * DAY);
    assert.equal(f.vault.keys.getKey("k").version, first.version, "due at day 40 now, not 30");
    f.advanceSeconds(10 * DAY);
    const rotated = f.vault.keys.getKey("k");
    assert.notEqual(rotated.version, first.version);
    assert.equal(rotated.expiresOn, START_SECONDS + 80 * DAY);
    assert.equal(rotated.keySize, 256);
  });

  it("a Notify-only policy and a deleted key never rotate; a recovered one catches up", async () => {
    await f.vault.keys.createKey("notify", { kty: "EC", expiresOn: START_SECONDS + 40 * DAY });
    f.vault.keys.setRotationPolicy("notify", { lifetimeActions: [{ action: "Notify", timeBeforeExpiry: "P30D" }] });
    await f.vault.keys.createKey("gone", { kty: "EC" });
    f.vault.keys.setRotationPolicy("gone", { lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P7D" }] });
    f.vault.keys.deleteKey("gone");
    f.advanceSeconds(20 * DAY);
    assert.equal(f.vault.keys.listKeyVersions("notify").items.length, 1);
    f.vault.keys.recoverDeletedKey("gone");
    assert.deepEqual(f.vault.keys.getRotationPolicy("gone").lifetimeActions, [{ action: "Rotate", timeAfterCreate: "P7D" }]);
    f.advanceSeconds(1);
    assert.equal(f.vault.keys.listKeyVersions("gone").items.length, 2);
  });

  it("two vaults on one file rotate a due key once", async () => {
    await f.vault.keys.createKey("k", { kty: "EC" });
    f.vault.keys.setRotationPolicy("k", { lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P7D" }] });
    const other = f.open();
    try {
      f.advanceSeconds(7 * DAY);
      other.keys.getKey("k");
      f.vault.keys.getKey("k");
      assert.equal(f.vault.keys.listKeyVersions("k").items.length, 2);
    } finally {
      other.close();
    }
  });
});
