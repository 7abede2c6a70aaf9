import assert from "node:assert/strict";
import { constants, createPublicKey, publicEncrypt, randomBytes, verify as nodeVerify, type KeyObject } from "node:crypto";
import { Readable } from "node:stream";
import { before, describe, it } from "node:test";
import type { KeyVaultKey } from "../../src/core/key-types.js";
import { SIGNATURE } from "../../src/crypto/algorithms.js";
import { digestOf } from "../../src/crypto/sign-data.js";
import type { EncryptionAlgorithm, KeyType, SignatureAlgorithm } from "../../src/crypto/types.js";
import type { KeysContractContext } from "./keys-contract.js";

/** The public half as node:crypto takes it (the `-HSM` types are plain RSA / EC to it). */
function publicKeyOf(key: KeyVaultKey): KeyObject {
  const { kid: _kid, key_ops: _ops, kty, ...members } = key.key;
  return createPublicKey({ key: { ...members, kty: kty.replace("-HSM", "") } as never, format: "jwk" });
}

const SIGNING: [SignatureAlgorithm, KeyType, Record<string, unknown>][] = [
  ["RS256", "RSA", {}],
  ["RS384", "RSA-HSM", { keySize: 3072 }],
  ["RS512", "RSA", {}],
  ["PS256", "RSA", {}],
  ["PS384", "RSA-HSM", {}],
  ["PS512", "RSA", {}],
  ["ES256", "EC", { curve: "P-256" }],
  ["ES384", "EC-HSM", { curve: "P-384" }],
  ["ES512", "EC", { curve: "P-521" }],
  ["ES256K", "EC", { curve: "P-256K" }],
  ["HS256", "oct-HSM", { keySize: 256 }],
  ["HS384", "oct", { keySize: 256 }],
  ["HS512", "oct", { keySize: 256 }],
];

const RSA_ENCRYPTION: EncryptionAlgorithm[] = ["RSA1_5", "RSA-OAEP", "RSA-OAEP-256"];
const AES_SIZES = [128, 192, 256] as const;

/** The crypto half of the keys contract: every algorithm, the refusals, and what the client adds. */
export function runKeysCryptoContract({ client, fresh }: KeysContractContext): void {
  describe("cryptography", () => {
    const keys = new Map<string, KeyVaultKey>();
    const keyFor = async (keyType: KeyType, options: Record<string, unknown>): Promise<KeyVaultKey> => {
      const id = `${keyType}${JSON.stringify(options)}`;
      let key = keys.get(id);
      if (!key) {
        key = await client().createKey(fresh("crypto"), keyType, options);
        keys.set(id, key);
      }
      return key;
    };
    let rsa: KeyVaultKey;
    before(async () => {
      rsa = await keyFor("RSA", {});
    });

    for (const [alg, keyType, options] of SIGNING) {
      it(`${alg} on ${keyType}: signs a digest, verifies it, refuses another; node:crypto agrees where it knows the curve`, async () => {
        const key = await keyFor(keyType, options);
        const name = key.properties.name;
        const digest = await digestOf(alg, new TextEncoder().encode(`data for ${alg}`));
        const signed = await client().sign(name, alg, digest);
        assert.equal(signed.keyId, key.properties.id);
        assert.equal(await client().verify(name, alg, digest, signed.result), true);
        const other = await digestOf(alg, new TextEncoder().encode("other data"));
        assert.equal(await client().verify(name, alg, other, signed.result), false, "a wrong signature is false, not an error");
        const spec = SIGNATURE[alg];
        if (spec.scheme === "pkcs1" || spec.scheme === "pss" || (spec.scheme === "ecdsa" && spec.crv !== "P-256K")) {
          const padding = spec.scheme === "pss" ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : {};
          const dsa = spec.scheme === "ecdsa" ? { dsaEncoding: "ieee-p1363" as const } : {};
          const data = Buffer.from(`data for ${alg}`);
          assert.equal(nodeVerify(spec.hash, data, { key: publicKeyOf(key), ...padding, ...dsa }, signed.result), true);
        }
      });
    }

    it("signData / verifyData hash bytes and streams alike", async () => {
      const name = rsa.properties.name;
      const data = randomBytes(200_000);
      const signed = await client().signData(name, "PS256", data);
      const pieces = Readable.from([data.subarray(0, 1000), data.subarray(1000)]);
      assert.equal(await client().verifyData(name, "PS256", pieces, signed.result), true);
      assert.equal(await client().verifyData(name, "PS256", data.subarray(1), signed.result), false);
    });

    for (const alg of RSA_ENCRYPTION) {
      it(`${alg}: encrypt / decrypt round trip, and what node:crypto encrypts with the public JWK the vault decrypts`, async () => {
        const name = rsa.properties.name;
        const plaintext = randomBytes(32);
        const sealed = await client().encrypt(name, alg, plaintext);
        assert.equal(sealed.keyId, rsa.properties.id);
        assert.deepEqual(Buffer.from((await client().decrypt(name, alg, sealed.result)).result), plaintext);
        if (alg !== "RSA1_5") {
          const oaepHash = alg === "RSA-OAEP" ? "sha1" : "sha256";
          const outside = publicEncrypt({ key: publicKeyOf(rsa), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, plaintext);
          assert.deepEqual(Buffer.from((await client().decrypt(name, alg, outside)).result), plaintext);
        }
        const wrapped = await client().wrapKey(name, alg, plaintext);
        assert.deepEqual(Buffer.from((await client().unwrapKey(name, alg, wrapped.result)).result), plaintext);
      });
    }

    for (const bits of AES_SIZES) {
      it(`A${bits}GCM, A${bits}CBC, A${bits}CBCPAD, A${bits}KW and the CKM_AES_KEY_WRAPs on a ${bits}-bit oct key`, async () => {
        const key = await keyFor("oct", { keySize: bits });
        const name = key.properties.name;
        const aad = Buffer.from("header");
        const plaintext = randomBytes(48);
        const gcm = await client().encrypt(name, `A${bits}GCM` as EncryptionAlgorithm, plaintext, { additionalAuthenticatedData: aad });
        assert.equal(gcm.iv?.byteLength, 12, "the vault makes the GCM nonce");
        assert.equal(gcm.authenticationTag?.byteLength, 16);
        const opened = await client().decrypt(name, `A${bits}GCM` as EncryptionAlgorithm, gcm.result, {
          iv: gcm.iv!,
          authenticationTag: gcm.authenticationTag!,
          additionalAuthenticatedData: aad,
        });
        assert.deepEqual(Buffer.from(opened.result), plaintext);
        await assert.rejects(
          client().decrypt(name, `A${bits}GCM` as EncryptionAlgorithm, gcm.result, { iv: gcm.iv!, authenticationTag: gcm.authenticationTag!, additionalAuthenticatedData: Buffer.from("other") }),
          { code: "InvalidValue" },
        );
        for (const mode of ["CBC", "CBCPAD"] as const) {
          const alg = `A${bits}${mode}` as EncryptionAlgorithm;
          const input = mode === "CBC" ? plaintext : plaintext.subarray(0, 37);
          const cbc = await client().encrypt(name, alg, input);
          assert.equal(cbc.iv?.byteLength, 16, `the vault makes the ${alg} IV when none is sent`);
          assert.deepEqual(Buffer.from((await client().decrypt(name, alg, cbc.result, { iv: cbc.iv! })).result), input);
        }
        const kw = `A${bits}KW` as EncryptionAlgorithm;
        const dataKey = randomBytes(32);
        const wrapped = await client().wrapKey(name, kw, dataKey);
        assert.equal(wrapped.result.byteLength, 40);
        assert.deepEqual(Buffer.from((await client().unwrapKey(name, kw, wrapped.result)).result), dataKey);
        // The PKCS#11 wraps take any AES size; the padded one any length of key.
        for (const [alg, input] of [["CKM_AES_KEY_WRAP", dataKey], ["CKM_AES_KEY_WRAP_PAD", dataKey.subarray(0, 21)]] as const) {
          const ckm = await client().wrapKey(name, alg, input);
          assert.deepEqual(Buffer.from((await client().unwrapKey(name, alg, ckm.result)).result), input, alg);
        }
      });
    }

    it("envelopes: data of any size under an RSA or oct key, bytes or streams; an EC key cannot wrap", async () => {
      const data = randomBytes(300_000);
      for (const key of [rsa, await keyFor("oct", { keySize: 256 })]) {
        const name = key.properties.name;
        const sealed = await client().encryptEnvelope(name, data, { chunkSize: 64 * 1024 });
        assert.deepEqual(Buffer.from(await client().decryptEnvelope(sealed)), data);
        const pieces: Uint8Array[] = [];
        for await (const piece of client().encryptEnvelopeStream(name, Readable.from([data.subarray(0, 7), data.subarray(7)]))) pieces.push(piece);
        const streamed: Uint8Array[] = [];
        for await (const piece of client().decryptEnvelopeStream(Readable.from(pieces))) streamed.push(piece);
        assert.deepEqual(Buffer.concat(streamed), data);
        const tampered = Buffer.from(sealed);
        tampered[tampered.length - 20]! ^= 1;
        await assert.rejects(client().decryptEnvelope(tampered), { code: "InvalidValue" });
      }
      const ec = await keyFor("EC", { curve: "P-256" });
      await assert.rejects(client().encryptEnvelope(ec.properties.name, data), { code: "InvalidValue" });
    });

    it("refuses an algorithm the key cannot run: InvalidValue", async () => {
      const ec = await keyFor("EC", { curve: "P-256" });
      const digest = randomBytes(32);
      await assert.rejects(client().sign(ec.properties.name, "ES384", randomBytes(48)), { code: "InvalidValue" });
      await assert.rejects(client().sign(rsa.properties.name, "ES256", digest), { code: "InvalidValue" });
      await assert.rejects(client().encrypt(rsa.properties.name, "A256GCM", digest), { code: "InvalidValue" });
      await assert.rejects(client().wrapKey(rsa.properties.name, "A128KW", digest), { code: "InvalidValue" });
    });

    it("refuses what key_ops leave out, a disabled key's decrypt and sign, an expired or not-yet-valid key's encrypt and sign: PermissionDenied", async () => {
      const digest = randomBytes(32);
      const verifyOnly = await client().createRsaKey(fresh("ops"), { keyOps: ["verify"] });
      await assert.rejects(client().sign(verifyOnly.properties.name, "RS256", digest), { code: "PermissionDenied" });
      await assert.rejects(client().encrypt(verifyOnly.properties.name, "RSA-OAEP", digest), { code: "PermissionDenied" });

      const disabled = await client().createRsaKey(fresh("disabled"));
      const sealed = await client().encrypt(disabled.properties.name, "RSA-OAEP-256", digest);
      await client().updateKeyProperties(disabled.properties.name, { enabled: false });
      await assert.rejects(client().decrypt(disabled.properties.name, "RSA-OAEP-256", sealed.result), { code: "PermissionDenied" });
      await assert.rejects(client().sign(disabled.properties.name, "RS256", digest), { code: "PermissionDenied" });

      const expired = await client().createRsaKey(fresh("expired"), { expiresOn: new Date("2020-01-01T00:00:00Z") });
      await assert.rejects(client().sign(expired.properties.name, "RS256", digest), { code: "PermissionDenied" });
      await assert.rejects(client().encrypt(expired.properties.name, "RSA-OAEP-256", digest), { code: "PermissionDenied" });
      // Before 2038: the SDK sends dates as 32-bit seconds (keys-keyvault-backend.ts).
      const early = await client().createEcKey(fresh("early"), { notBefore: new Date("2037-01-01T00:00:00Z") });
      await assert.rejects(client().sign(early.properties.name, "ES256", digest), { code: "PermissionDenied" });
    });

    it("a crypto call on a missing key or version is KeyNotFound", async () => {
      await assert.rejects(client().sign(fresh("nokey"), "RS256", randomBytes(32)), { code: "KeyNotFound" });
      await assert.rejects(client().encrypt(rsa.properties.name, "RSA-OAEP", randomBytes(8), { version: "f".repeat(32) }), { code: "KeyNotFound" });
    });
  });
}
