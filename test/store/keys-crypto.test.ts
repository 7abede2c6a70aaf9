// vault.keys' six operations on real SQLite files: the round trips per family, and every refusal
// (key_ops, disabled, nbf/exp on the store's clock, wrong algorithm, deleted key) with Key Vault's code.
import assert from "node:assert/strict";
import { createHash, createPublicKey, publicEncrypt, constants, verify as nodeVerify } from "node:crypto";
import { afterEach, beforeEach, describe, it } from "node:test";
import { START_SECONDS, VaultFixture } from "./vault-fixture.js";

const sha256 = (text: string) => createHash("sha256").update(text).digest();
const forbidden = (serviceCode?: string) => (error: { code: string; statusCode: number; serviceCode?: string }) => {
  assert.equal(error.code, "PermissionDenied");
  assert.equal(error.statusCode, 403);
  assert.equal(error.serviceCode, serviceCode);
  return true;
};

describe("vault.keys: cryptographic operations", () => {
  let f: VaultFixture;
  beforeEach(() => (f = new VaultFixture()));
  afterEach(() => f.dispose());

  it("RSA: encrypt/decrypt and wrap/unwrap round-trip; node:crypto's public encrypt decrypts in the vault", async () => {
    const key = await f.vault.keys.createKey("rsa", { kty: "RSA" });
    const plain = Buffer.from("attack at dawn");
    for (const alg of ["RSA1_5", "RSA-OAEP", "RSA-OAEP-256"] as const) {
      const enc = await f.vault.keys.encrypt("rsa", undefined, { alg, value: plain });
      assert.equal(enc.version, key.version);
      assert.equal(enc.result.byteLength, 256);
      assert.deepEqual(Buffer.from((await f.vault.keys.decrypt("rsa", key.version, { alg, value: enc.result })).result), plain);
      const wrapped = await f.vault.keys.wrapKey("rsa", undefined, { alg, value: Buffer.alloc(32, 9) });
      assert.deepEqual(Buffer.from((await f.vault.keys.unwrapKey("rsa", undefined, { alg, value: wrapped.result })).result), Buffer.alloc(32, 9));
    }
    const outside = publicEncrypt(
      { key: createPublicKey({ key: key.publicJwk as never, format: "jwk" }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
      plain,
    );
    assert.deepEqual(Buffer.from((await f.vault.keys.decrypt("rsa", undefined, { alg: "RSA-OAEP-256", value: outside })).result), plain);
  });

  it("RSA and EC signatures verify with node:crypto from the public JWK, and in the vault; a wrong one is false", async () => {
    const rsa = await f.vault.keys.createKey("rsa", { kty: "RSA" });
    const ec = await f.vault.keys.createKey("ec", { kty: "EC", crv: "P-256" });
    const data = Buffer.from("the data");
    const digest = createHash("sha256").update(data).digest();
    for (const [name, jwk, alg, options] of [
      ["rsa", rsa.publicJwk, "RS256", {}],
      ["rsa", rsa.publicJwk, "PS256", { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }],
      ["ec", ec.publicJwk, "ES256", { dsaEncoding: "ieee-p1363" }],
    ] as const) {
      const signed = await f.vault.keys.sign(name, undefined, alg, digest);
      const publicKey = createPublicKey({ key: jwk as never, format: "jwk" });
      assert.equal(nodeVerify("sha256", data, { key: publicKey, ...options }, signed.result), true, alg);
      assert.equal(await f.vault.keys.verify(name, undefined, alg, digest, signed.result), true);
      assert.equal(await f.vault.keys.verify(name, undefined, alg, sha256("other"), signed.result), false);
    }
  });

  it("oct: AES-GCM makes the IV and tag and keeps the aad; CBC makes an IV; KW wraps; HS256 signs", async () => {
    await f.vault.keys.createKey("aes", { kty: "oct-HSM", keySize: 256 });
    const plain = Buffer.from("sixteen byte msg and more");
    const aad = Buffer.from("context");
    const gcm = await f.vault.keys.encrypt("aes", undefined, { alg: "A256GCM", value: plain, aad });
    assert.equal(gcm.iv?.byteLength, 12);
    assert.equal(gcm.authenticationTag?.byteLength, 16);
    assert.deepEqual(Buffer.from(gcm.additionalAuthenticatedData!), aad);
    const back = await f.vault.keys.decrypt("aes", undefined, { alg: "A256GCM", value: gcm.result, iv: gcm.iv!, tag: gcm.authenticationTag!, aad });
    assert.deepEqual(Buffer.from(back.result), plain);
    await assert.rejects(f.vault.keys.decrypt("aes", undefined, { alg: "A256GCM", value: gcm.result, iv: gcm.iv!, tag: Buffer.alloc(16), aad }), {
      code: "InvalidValue",
    });
    const cbc = await f.vault.keys.encrypt("aes", undefined, { alg: "A256CBCPAD", value: plain });
    assert.equal(cbc.iv?.byteLength, 16, "the server makes the CBC IV when none is sent");
    assert.deepEqual(Buffer.from((await f.vault.keys.decrypt("aes", undefined, { alg: "A256CBCPAD", value: cbc.result, iv: cbc.iv! })).result), plain);
    const wrapped = await f.vault.keys.wrapKey("aes", undefined, { alg: "A256KW", value: Buffer.alloc(32, 3) });
    assert.equal(wrapped.result.byteLength, 40);
    assert.deepEqual(Buffer.from((await f.vault.keys.unwrapKey("aes", undefined, { alg: "A256KW", value: wrapped.result })).result), Buffer.alloc(32, 3));
    const mac = await f.vault.keys.sign("aes", undefined, "HS256", sha256("x"));
    assert.equal(await f.vault.keys.verify("aes", undefined, "HS256", sha256("x"), mac.result), true);
  });

  it("a specific version does the work when named; the latest otherwise", async () => {
    const first = await f.vault.keys.createKey("k", { kty: "EC" });
    const second = await f.vault.keys.createKey("k", { kty: "EC" });
    const digest = sha256("d");
    const old = await f.vault.keys.sign("k", first.version, "ES256", digest);
    assert.equal(old.version, first.version);
    assert.equal((await f.vault.keys.sign("k", undefined, "ES256", digest)).version, second.version);
    assert.equal(await f.vault.keys.verify("k", first.version, "ES256", digest, old.result), true);
    assert.equal(await f.vault.keys.verify("k", second.version, "ES256", digest, old.result), false);
  });

  it("refuses an operation the key's key_ops leave out: 403, no inner code", async () => {
    await f.vault.keys.createKey("ec", { kty: "EC" });
    await assert.rejects(f.vault.keys.encrypt("ec", undefined, { alg: "RSA-OAEP", value: Buffer.from("x") }), forbidden());
    await f.vault.keys.createKey("signer", { kty: "RSA", keyOps: ["sign"] });
    await assert.rejects(f.vault.keys.verify("signer", undefined, "RS256", sha256("x"), Buffer.alloc(256)), forbidden());
    await assert.rejects(f.vault.keys.wrapKey("signer", undefined, { alg: "RSA-OAEP", value: Buffer.alloc(32) }), {
      message: /Operation wrapKey is not permitted on this key/,
    });
    f.vault.keys.updateKeyProperties("signer", undefined, { keyOps: ["sign", "wrapKey"] });
    assert.ok((await f.vault.keys.wrapKey("signer", undefined, { alg: "RSA-OAEP", value: Buffer.alloc(32) })).result.byteLength === 256);
  });

  it("a disabled key refuses decrypt, sign and unwrap (KeyDisabled) and still encrypts, verifies and wraps", async () => {
    await f.vault.keys.createKey("rsa", { kty: "RSA" });
    const enc = await f.vault.keys.encrypt("rsa", undefined, { alg: "RSA-OAEP", value: Buffer.from("x") });
    const signed = await f.vault.keys.sign("rsa", undefined, "RS256", sha256("x"));
    f.vault.keys.updateKeyProperties("rsa", undefined, { enabled: false });
    await assert.rejects(f.vault.keys.decrypt("rsa", undefined, { alg: "RSA-OAEP", value: enc.result }), forbidden("KeyDisabled"));
    await assert.rejects(f.vault.keys.sign("rsa", undefined, "RS256", sha256("x")), forbidden("KeyDisabled"));
    await assert.rejects(f.vault.keys.unwrapKey("rsa", undefined, { alg: "RSA-OAEP", value: enc.result }), forbidden("KeyDisabled"));
    await f.vault.keys.encrypt("rsa", undefined, { alg: "RSA-OAEP", value: Buffer.from("x") });
    await f.vault.keys.wrapKey("rsa", undefined, { alg: "RSA-OAEP", value: Buffer.alloc(16) });
    assert.equal(await f.vault.keys.verify("rsa", undefined, "RS256", sha256("x"), signed.result), true);
  });

  it("nbf and exp limit encrypt, sign and wrap on the store's clock; decrypt and verify keep working", async () => {
    await f.vault.keys.createKey("rsa", { kty: "RSA", notBefore: START_SECONDS + 100, expiresOn: START_SECONDS + 200 });
    const early = /not yet valid/;
    await assert.rejects(f.vault.keys.encrypt("rsa", undefined, { alg: "RSA-OAEP", value: Buffer.from("x") }), { code: "PermissionDenied", message: early });
    await assert.rejects(f.vault.keys.sign("rsa", undefined, "RS256", sha256("x")), { message: early });
    f.advanceSeconds(150);
    const enc = await f.vault.keys.encrypt("rsa", undefined, { alg: "RSA-OAEP", value: Buffer.from("x") });
    const signed = await f.vault.keys.sign("rsa", undefined, "RS256", sha256("x"));
    f.advanceSeconds(100);
    await assert.rejects(f.vault.keys.wrapKey("rsa", undefined, { alg: "RSA-OAEP", value: Buffer.alloc(16) }), {
      statusCode: 403,
      message: /expired key/,
    });
    assert.deepEqual(Buffer.from((await f.vault.keys.decrypt("rsa", undefined, { alg: "RSA-OAEP", value: enc.result })).result), Buffer.from("x"));
    assert.equal(await f.vault.keys.verify("rsa", undefined, "RS256", sha256("x"), signed.result), true);
  });

  it("a wrong algorithm or digest size is 400 BadParameter; a missing or deleted key is KeyNotFound", async () => {
    await f.vault.keys.createKey("ec", { kty: "EC", crv: "P-256" });
    const bad = { code: "InvalidValue", statusCode: 400, serviceCode: "BadParameter" };
    await assert.rejects(f.vault.keys.sign("ec", undefined, "ES384", Buffer.alloc(48)), bad);
    await assert.rejects(f.vault.keys.sign("ec", undefined, "ES256", Buffer.alloc(20)), bad);
    await assert.rejects(f.vault.keys.sign("ec", undefined, "XX256" as never, Buffer.alloc(32)), bad);
    await assert.rejects(f.vault.keys.sign("nope", undefined, "ES256", Buffer.alloc(32)), { code: "KeyNotFound", statusCode: 404 });
    f.vault.keys.deleteKey("ec");
    await assert.rejects(f.vault.keys.sign("ec", undefined, "ES256", Buffer.alloc(32)), { code: "KeyNotFound" });
  });
});
