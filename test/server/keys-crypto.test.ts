import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { CryptographyClient, KeyClient, type DecryptParameters, type EncryptionAlgorithm, type EncryptParameters, type KeyVaultKey, type SignatureAlgorithm } from "@azure/keyvault-keys";
import { credential, rawRequest, sdkClientOptions, startTestServer, type TestServer } from "../helpers/server.js";

// Every key type and algorithm of docs/keyvault-wire.md §9.2 through the official
// CryptographyClient against the server: round trips, signatures checked both ways, and the AES
// modes' IV / tag / aad as the server makes them.

const HASH: Record<string, string> = { "256": "sha256", "384": "sha384", "512": "sha512" };
const digestFor = (alg: string, data: Uint8Array) => createHash(HASH[alg.slice(-3)] ?? "sha256").update(data).digest();

describe("official CryptographyClient: every key type and algorithm", () => {
  let server: TestServer;
  let keys: KeyClient;
  const crypto = (key: KeyVaultKey) => new CryptographyClient(key, credential, sdkClientOptions(server.ca));

  before(async () => {
    server = await startTestServer();
    keys = new KeyClient(server.url, credential, sdkClientOptions(server.ca));
  });
  after(async () => server.close());

  for (const keySize of [2048, 3072, 4096]) {
    it(`RSA ${keySize}: encrypt/decrypt and wrap/unwrap with RSA1_5, RSA-OAEP, RSA-OAEP-256; RS*/PS* sign and verify`, async () => {
      const key = await keys.createRsaKey(`rsa-${keySize}`, { keySize });
      const client = crypto(key);
      const secret = randomBytes(32);
      for (const algorithm of ["RSA1_5", "RSA-OAEP", "RSA-OAEP-256"] as const) {
        const encrypted = await client.encrypt({ algorithm, plaintext: secret });
        assert.equal(encrypted.result.byteLength, keySize / 8, algorithm);
        assert.deepEqual(Buffer.from((await client.decrypt({ algorithm, ciphertext: encrypted.result })).result), secret, algorithm);
        const wrapped = await client.wrapKey(algorithm, secret);
        assert.deepEqual(Buffer.from((await client.unwrapKey(algorithm, wrapped.result)).result), secret, algorithm);
      }
      for (const algorithm of ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"] as const) {
        const data = Buffer.from(`data for ${algorithm}`);
        const digest = digestFor(algorithm, data);
        const signed = await client.sign(algorithm, digest);
        assert.equal(signed.result.byteLength, keySize / 8);
        assert.equal(signed.keyID, key.id);
        assert.equal((await client.verify(algorithm, digest, signed.result)).result, true, algorithm);
        // The SDK's local verifyData checks PS* with PKCS#1 v1.5 padding (createVerify's default), so
        // it refuses every PSS signature, Azure's too; PSS is checked with node:crypto in keys-interop.
        if (algorithm.startsWith("RS")) assert.equal((await client.verifyData(algorithm, data, signed.result)).result, true, algorithm);
        const tampered = Buffer.from(signed.result);
        tampered[0]! ^= 1;
        assert.equal((await client.verify(algorithm, digest, tampered)).result, false, `${algorithm} tampered`);
        const fromData = await client.signData(algorithm, data);
        assert.equal((await client.verify(algorithm, digest, fromData.result)).result, true, `${algorithm} signData`);
      }
    });
  }

  for (const [curve, algorithm, bytes] of [
    ["P-256", "ES256", 64],
    ["P-384", "ES384", 96],
    ["P-521", "ES512", 132],
    ["P-256K", "ES256K", 64],
  ] as const) {
    it(`EC ${curve}: ${algorithm} signs a digest (raw r||s, ${bytes} bytes) and verifies`, async () => {
      const key = await keys.createEcKey(`ec-${curve.toLowerCase()}`, { curve });
      const client = crypto(key);
      const data = Buffer.from(`data on ${curve}`);
      const digest = digestFor(algorithm, data);
      const signed = await client.sign(algorithm, digest);
      assert.equal(signed.result.byteLength, bytes);
      assert.equal((await client.verify(algorithm, digest, signed.result)).result, true);
      assert.equal((await client.verifyData(algorithm, data, signed.result)).result, true);
      assert.equal((await client.verify(algorithm, digestFor(algorithm, Buffer.from("other")), signed.result)).result, false);
      const wrong: SignatureAlgorithm = algorithm === "ES256" ? "ES384" : "ES256";
      await assert.rejects(client.sign(wrong, digestFor(wrong, data)), (e: { statusCode?: number; code?: string }) => e.statusCode === 400 && e.code === "BadParameter");
    });
  }

  for (const bits of [128, 192, 256] as const) {
    it(`oct ${bits}: A${bits}GCM, A${bits}CBC, A${bits}CBCPAD encrypt/decrypt; A${bits}KW wrap/unwrap`, async () => {
      const key = await keys.createOctKey(`oct-${bits}`, { keySize: bits, hsm: true });
      const client = crypto(key);
      const plaintext = randomBytes(48);
      const aad = Buffer.from("header");

      const gcm = `A${bits}GCM` as EncryptionAlgorithm;
      const sealed = await client.encrypt({ algorithm: gcm, plaintext, additionalAuthenticatedData: aad } as EncryptParameters);
      assert.equal(sealed.iv?.byteLength, 12, "the server makes a 96-bit IV");
      assert.equal(sealed.authenticationTag?.byteLength, 16);
      const opened = await client.decrypt({ algorithm: gcm, ciphertext: sealed.result, iv: sealed.iv!, authenticationTag: sealed.authenticationTag!, additionalAuthenticatedData: aad } as DecryptParameters);
      assert.deepEqual(Buffer.from(opened.result), plaintext);
      const badTag = Buffer.from(sealed.authenticationTag!);
      badTag[0]! ^= 1;
      await assert.rejects(
        client.decrypt({ algorithm: gcm, ciphertext: sealed.result, iv: sealed.iv!, authenticationTag: badTag, additionalAuthenticatedData: aad } as DecryptParameters),
        (e: { statusCode?: number }) => e.statusCode === 400,
      );

      for (const mode of ["CBC", "CBCPAD"] as const) {
        const algorithm = `A${bits}${mode}` as EncryptionAlgorithm;
        const input = mode === "CBC" ? plaintext : plaintext.subarray(0, 21);
        // The SDK makes no IV for CBC (§9.3): the server makes one and returns it.
        const made = await client.encrypt({ algorithm, plaintext: input } as EncryptParameters);
        assert.equal(made.iv?.byteLength, 16, `${algorithm} server IV`);
        const back = await client.decrypt({ algorithm, ciphertext: made.result, iv: made.iv! } as DecryptParameters);
        assert.deepEqual(Buffer.from(back.result), input, algorithm);
        const iv = randomBytes(16);
        const given = await client.encrypt({ algorithm, plaintext: input, iv } as EncryptParameters);
        assert.deepEqual(Buffer.from(given.iv ?? iv), iv, `${algorithm} keeps the IV sent`);
        assert.deepEqual(Buffer.from((await client.decrypt({ algorithm, ciphertext: given.result, iv } as DecryptParameters)).result), input);
      }

      const kw = `A${bits}KW` as const;
      const dataKey = randomBytes(32);
      const wrapped = await client.wrapKey(kw, dataKey);
      assert.equal(wrapped.result.byteLength, 40);
      assert.deepEqual(Buffer.from((await client.unwrapKey(kw, wrapped.result)).result), dataKey);
      // The PKCS#11 names: RFC 3394 on any AES size, and RFC 5649 with padding for any length.
      for (const [ckm, input] of [["CKM_AES_KEY_WRAP", dataKey], ["CKM_AES_KEY_WRAP_PAD", randomBytes(21)]] as const) {
        const made = await client.wrapKey(ckm, input);
        assert.deepEqual(Buffer.from((await client.unwrapKey(ckm, made.result)).result), input, ckm);
      }
      const other = bits === 128 ? "A256KW" : "A128KW";
      await assert.rejects(client.wrapKey(other, dataKey), (e: { statusCode?: number; code?: string }) => e.statusCode === 400 && e.code === "BadParameter");
    });
  }

  it("-HSM key types work as their software twins: RSA-HSM and EC-HSM sign, RSA-HSM wraps", async () => {
    const rsa = await keys.createRsaKey("rsa-hsm", { hsm: true });
    const ec = await keys.createEcKey("ec-hsm", { hsm: true, curve: "P-256" });
    assert.equal(rsa.keyType, "RSA-HSM");
    assert.equal(ec.keyType, "EC-HSM");
    const digest = digestFor("RS256", Buffer.from("hsm"));
    for (const [key, alg] of [[rsa, "RS256"], [ec, "ES256"]] as const) {
      const client = crypto(key);
      const signed = await client.sign(alg, digest);
      assert.equal((await client.verify(alg, digest, signed.result)).result, true, alg);
    }
    const wrapped = await crypto(rsa).wrapKey("RSA-OAEP-256", Buffer.alloc(32, 3));
    assert.deepEqual(Buffer.from((await crypto(rsa).unwrapKey("RSA-OAEP-256", wrapped.result)).result), Buffer.alloc(32, 3));
  });

  it("oct keys sign with HS256/384/512 (raw requests: the SDK's SignatureAlgorithm leaves HMAC out)", async () => {
    await keys.createOctKey("oct-hmac", { keySize: 256, hsm: true });
    for (const alg of ["HS256", "HS384", "HS512"]) {
      const value = digestFor(alg, Buffer.from("x")).toString("base64url");
      const signed = await rawRequest(server.url, server.ca, {
        method: "POST",
        path: "/keys/oct-hmac//sign?api-version=7.5",
        headers: { authorization: "Bearer t", "content-type": "application/json" },
        body: JSON.stringify({ alg, value }),
      });
      assert.equal(signed.status, 200, `${alg}: ${signed.body}`);
      const signature = JSON.parse(signed.body).value as string;
      const verified = await rawRequest(server.url, server.ca, {
        method: "POST",
        path: "/keys/oct-hmac//verify?api-version=7.5",
        headers: { authorization: "Bearer t", "content-type": "application/json" },
        body: JSON.stringify({ alg, digest: value, value: signature }),
      });
      assert.deepEqual(JSON.parse(verified.body), { value: true }, alg);
    }
  });
});
