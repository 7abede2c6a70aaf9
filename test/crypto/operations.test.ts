import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { importPublicJwk } from "../../src/crypto/jwk-import.js";
import { publicJwk } from "../../src/crypto/jwk-export.js";
import { decrypt, encrypt, getRandomBytes, sign, unwrapKey, verify, wrapKey } from "../../src/crypto/operations.js";
import type { EncryptionAlgorithm, SignatureAlgorithm } from "../../src/crypto/types.js";
import { ALG_KEYS, digest, keyFor } from "./key-fixture.js";

const badParameter = (message: RegExp) => ({ code: "InvalidValue", serviceCode: "BadParameter", statusCode: 400, message });

describe("crypto operations: encrypt and decrypt", () => {
  for (const alg of ["RSA1_5", "RSA-OAEP", "RSA-OAEP-256"] as const) {
    it(`${alg}: what the public key alone encrypts, only the private key decrypts`, async () => {
      const key = await keyFor({ kty: "RSA" });
      const publicOnly = importPublicJwk(publicJwk(key));
      const plaintext = randomBytes(48);
      const { result, iv, tag } = await encrypt(publicOnly, alg, plaintext);
      assert.equal(result.byteLength, 256);
      assert.equal(iv, undefined);
      assert.equal(tag, undefined);
      assert.deepEqual(Buffer.from(await decrypt(key, alg, result)), plaintext);
      await assert.rejects(decrypt(publicOnly, alg, result), { code: "InvalidValue", message: /needs the private key/ });
      // Another key does not take it (a same-size key would, with RSA1_5 under implicit rejection,
      // answer other bytes rather than an error; a 3072-bit key refuses a 256-byte value outright).
      const other = await keyFor({ kty: "RSA-HSM", keySize: 3072 });
      await assert.rejects(decrypt(other, alg, result), badParameter(/could not be decrypted/));
    });
  }

  it("RSA: refuses a value too long for the key and padding", async () => {
    const key = await keyFor({ kty: "RSA" });
    await assert.rejects(encrypt(key, "RSA-OAEP-256", Buffer.alloc(191)), badParameter(/encrypts at most 190 bytes/));
    await assert.rejects(encrypt(key, "RSA1_5", Buffer.alloc(246)), badParameter(/encrypts at most 245 bytes/));
  });

  for (const bits of [128, 192, 256] as const) {
    for (const mode of ["GCM", "CBC", "CBCPAD", "KW"] as const) {
      const alg = `A${bits}${mode}` as EncryptionAlgorithm;
      it(`${alg}: round trip with the IV made here when none is sent`, async () => {
        const key = await keyFor({ kty: "oct-HSM", keySize: bits });
        const plaintext = mode === "CBCPAD" ? randomBytes(37) : randomBytes(32);
        const aad = mode === "GCM" ? Buffer.from("header") : undefined;
        const out = await encrypt(key, alg, plaintext, aad ? { aad } : {});
        if (mode === "GCM") {
          assert.equal(out.iv?.byteLength, 12);
          assert.equal(out.tag?.byteLength, 16);
          assert.deepEqual(out.aad, aad);
        } else if (mode !== "KW") {
          assert.equal(out.iv?.byteLength, 16);
        }
        assert.deepEqual(Buffer.from(await decrypt(key, alg, out.result, out)), plaintext);
        const again = await encrypt(key, alg, plaintext, aad ? { aad } : {});
        if (mode !== "KW") assert.notDeepEqual(again.iv, out.iv);
      });
    }
  }

  it("A*CBC uses an IV the caller sends, and gives the same bytes for the same IV", async () => {
    const key = await keyFor({ kty: "oct", keySize: 256 });
    const iv = randomBytes(16);
    const a = await encrypt(key, "A256CBC", Buffer.alloc(32, 1), { iv });
    const b = await encrypt(key, "A256CBC", Buffer.alloc(32, 1), { iv });
    assert.deepEqual(a.result, b.result);
    assert.deepEqual(a.iv, iv);
    await assert.rejects(encrypt(key, "A256CBC", Buffer.alloc(30)), badParameter(/multiple of 16 bytes/));
    await assert.rejects(encrypt(key, "A256CBC", Buffer.alloc(32), { iv: Buffer.alloc(8) }), badParameter(/16-byte 'iv'/));
  });

  it("A*GCM detects a changed ciphertext, tag or aad", async () => {
    const key = await keyFor({ kty: "oct-HSM", keySize: 128 });
    const out = await encrypt(key, "A128GCM", Buffer.from("attack at dawn"), { aad: Buffer.from("a") });
    const flipped = Buffer.from(out.result);
    flipped.writeUInt8(flipped.readUInt8(0) ^ 1, 0);
    await assert.rejects(decrypt(key, "A128GCM", flipped, out), badParameter(/could not be decrypted/));
    await assert.rejects(decrypt(key, "A128GCM", out.result, { ...out, aad: Buffer.from("b") }), badParameter(/could not be decrypted/));
    await assert.rejects(decrypt(key, "A128GCM", out.result, { iv: out.iv }), badParameter(/needs the 'iv' and 'tag'/));
  });

  it("refuses an algorithm the key cannot run", async () => {
    const rsa = await keyFor({ kty: "RSA" });
    const ec = await keyFor({ kty: "EC", crv: "P-256" });
    const aes128 = await keyFor({ kty: "oct-HSM", keySize: 128 });
    await assert.rejects(encrypt(rsa, "A128GCM", Buffer.alloc(16)), badParameter(/A128GCM cannot be used with a 2048-bit RSA key/));
    await assert.rejects(encrypt(ec, "RSA-OAEP", Buffer.alloc(16)), badParameter(/RSA-OAEP cannot be used with a EC key on curve P-256/));
    await assert.rejects(encrypt(aes128, "A256GCM", Buffer.alloc(16)), badParameter(/A256GCM cannot be used with a 128-bit oct-HSM key/));
    await assert.rejects(encrypt(aes128, "ROT13" as never, Buffer.alloc(16)), badParameter(/Unknown encryption algorithm 'ROT13'/));
  });
});

describe("crypto operations: wrap and unwrap", () => {
  const cases: [EncryptionAlgorithm, Parameters<typeof keyFor>[0]][] = [
    ["RSA1_5", { kty: "RSA" }],
    ["RSA-OAEP", { kty: "RSA-HSM", keySize: 3072 }],
    ["RSA-OAEP-256", { kty: "RSA", keySize: 4096 }],
    ["A128KW", { kty: "oct-HSM", keySize: 128 }],
    ["A192KW", { kty: "oct-HSM", keySize: 192 }],
    ["A256KW", { kty: "oct-HSM", keySize: 256 }],
    ["CKM_AES_KEY_WRAP", { kty: "oct-HSM", keySize: 192 }],
    ["CKM_AES_KEY_WRAP_PAD", { kty: "oct-HSM", keySize: 256 }],
  ];
  for (const [alg, spec] of cases) {
    it(`${alg}: unwraps what it wrapped`, async () => {
      const key = await keyFor(spec);
      const dataKey = randomBytes(alg === "CKM_AES_KEY_WRAP_PAD" ? 20 : 32);
      const wrapped = await wrapKey(key, alg, dataKey);
      assert.deepEqual(Buffer.from(await unwrapKey(key, alg, wrapped)), dataKey);
    });
  }

  it("A256KW: matches RFC 3394's test vector 4.6 and detects tampering", async () => {
    const { importPrivateJwk } = await import("../../src/crypto/jwk-import.js");
    const kek = importPrivateJwk({ kty: "oct", k: Buffer.from("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F", "hex").toString("base64url") });
    const keyData = Buffer.from("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F", "hex");
    const wrapped = Buffer.from(await wrapKey(kek, "A256KW", keyData));
    assert.equal(wrapped.toString("hex").toUpperCase(), "28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21");
    wrapped.writeUInt8(wrapped.readUInt8(5) ^ 1, 5);
    await assert.rejects(unwrapKey(kek, "A256KW", wrapped), badParameter(/could not be unwrapped/));
  });

  it("refuses a non-wrap algorithm for wrapKey", async () => {
    const key = await keyFor({ kty: "oct-HSM", keySize: 256 });
    await assert.rejects(wrapKey(key, "A256GCM", randomBytes(32)), badParameter(/not a key wrap algorithm/));
    await assert.rejects(wrapKey(key, "A256KW", randomBytes(12)), badParameter(/16 bytes or more in steps of 8/));
  });
});

describe("crypto operations: sign and verify a digest", () => {
  for (const alg of Object.keys(ALG_KEYS) as SignatureAlgorithm[]) {
    it(`${alg}: verifies its own signature, and not a changed digest or signature`, async () => {
      const key = await keyFor(ALG_KEYS[alg]);
      const d = digest(alg, "the message");
      const signature = await sign(key, alg, d);
      assert.equal(await verify(key, alg, d, signature), true);
      assert.equal(await verify(key, alg, digest(alg, "another message"), signature), false);
      const bent = Buffer.from(signature);
      bent.writeUInt8(bent.readUInt8(bent.byteLength - 1) ^ 1, bent.byteLength - 1);
      assert.equal(await verify(key, alg, d, bent), false);
      assert.equal(await verify(key, alg, d, signature.subarray(1)), false);
      if (key.family !== "oct") {
        const publicOnly = importPublicJwk(publicJwk(key));
        assert.equal(await verify(publicOnly, alg, d, signature), true);
        await assert.rejects(sign(publicOnly, alg, d), { code: "InvalidValue", message: /needs the private key/ });
      }
    });
  }

  it("gives ES signatures as JWS r||s of twice the curve size", async () => {
    const sizes = { ES256: 64, ES384: 96, ES512: 132, ES256K: 64 } as const;
    for (const [alg, bytes] of Object.entries(sizes) as [keyof typeof sizes, number][]) {
      assert.equal((await sign(await keyFor(ALG_KEYS[alg]), alg, digest(alg, "m"))).byteLength, bytes);
    }
  });

  it("refuses a digest of the wrong length for the algorithm", async () => {
    const rsa = await keyFor({ kty: "RSA" });
    await assert.rejects(sign(rsa, "RS256", digest("RS384", "m")), badParameter(/A RS256 digest is 32 bytes \(SHA256\); this one is 48/));
    await assert.rejects(verify(rsa, "PS512", digest("PS256", "m"), Buffer.alloc(256)), badParameter(/A PS512 digest is 64 bytes/));
    const ec = await keyFor(ALG_KEYS.ES384);
    await assert.rejects(sign(ec, "ES384", Buffer.alloc(20)), badParameter(/A ES384 digest is 48 bytes/));
  });

  it("refuses an algorithm for another curve or key type", async () => {
    const p256 = await keyFor(ALG_KEYS.ES256);
    const k1 = await keyFor(ALG_KEYS.ES256K);
    const rsa = await keyFor({ kty: "RSA" });
    await assert.rejects(sign(p256, "ES384", digest("ES384", "m")), badParameter(/ES384 cannot be used with a EC key on curve P-256/));
    await assert.rejects(sign(k1, "ES256", digest("ES256", "m")), badParameter(/ES256 cannot be used with a EC key on curve P-256K/));
    await assert.rejects(sign(rsa, "ES256", digest("ES256", "m")), badParameter(/cannot be used with a 2048-bit RSA key/));
    await assert.rejects(sign(p256, "RS256", digest("RS256", "m")), badParameter(/cannot be used with a EC key/));
    await assert.rejects(sign(rsa, "HS256", digest("HS256", "m")), badParameter(/cannot be used with a 2048-bit RSA key/));
    await assert.rejects(sign(rsa, "RSNULL" as never, digest("RS256", "m")), badParameter(/Unknown signature algorithm 'RSNULL'/));
  });
});

describe("crypto operations: random bytes", () => {
  it("gives 1 to 128 bytes and refuses other counts", () => {
    assert.equal(getRandomBytes(1).byteLength, 1);
    assert.equal(getRandomBytes(128).byteLength, 128);
    assert.notDeepEqual(getRandomBytes(32), getRandomBytes(32));
    for (const bad of [0, 129, 1.5, "8", -1]) assert.throws(() => getRandomBytes(bad), badParameter(/from 1 to 128/));
  });
});

describe("crypto operations: RSA1_5 decryption on every Node", () => {
  it("node-forge's fallback (used where Node refuses PKCS#1 v1.5 private decryption) decrypts what node:crypto encrypted", async () => {
    const { rsa15DecryptFallback } = await import("../../src/crypto/rsa-forge.js");
    const key = await keyFor({ kty: "RSA" });
    if (key.family !== "RSA" || key.privateKey === undefined) throw new Error("RSA key expected");
    const { result } = await encrypt(key, "RSA1_5", Buffer.from("on Node 20 and 24"));
    const onFailure = () => new Error("refused");
    assert.equal(Buffer.from(await rsa15DecryptFallback(key.privateKey, result, onFailure)).toString(), "on Node 20 and 24");
    const bent = Buffer.from(result);
    bent.writeUInt8(bent.readUInt8(0) ^ 0x80, 0);
    await assert.rejects(rsa15DecryptFallback(key.privateKey, bent, onFailure), /refused/);
  });
});
