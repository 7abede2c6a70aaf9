import assert from "node:assert/strict";
import { createPublicKey, randomBytes, verify as nodeVerify } from "node:crypto";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import { importPublicJwk } from "../../src/crypto/jwk-import.js";
import { publicJwk } from "../../src/crypto/jwk-export.js";
import { sign } from "../../src/crypto/operations.js";
import { digestOf, signData, verifyData } from "../../src/crypto/sign-data.js";
import type { SignatureAlgorithm } from "../../src/crypto/types.js";
import { ALG_KEYS, keyFor } from "./key-fixture.js";

describe("signData / verifyData", () => {
  it("hashes bytes and streams alike, with the algorithm's digest", async () => {
    const data = randomBytes(300_000);
    for (const alg of ["RS256", "ES384", "PS512"] as SignatureAlgorithm[]) {
      const fromBytes = await digestOf(alg, data);
      const fromStream = await digestOf(alg, Readable.from([data.subarray(0, 7), data.subarray(7, 70_000), data.subarray(70_000)]));
      assert.deepEqual(fromStream, fromBytes);
      assert.equal(fromBytes.byteLength, { RS256: 32, ES384: 48, PS512: 64 }[alg as "RS256"]);
    }
  });

  it("a signer elsewhere (the server's sign on a digest) and a local verify with the public JWK agree", async () => {
    for (const alg of ["RS256", "PS384", "ES256", "ES256K", "ES512"] as SignatureAlgorithm[]) {
      const vaultKey = await keyFor(ALG_KEYS[alg]);
      const calls: number[] = [];
      const remoteSigner = async (a: SignatureAlgorithm, d: Uint8Array) => {
        calls.push(d.byteLength);
        return sign(vaultKey, a, d);
      };
      const data = Readable.from([Buffer.from("streamed "), Buffer.from("document")]);
      const signature = await signData(alg, data, remoteSigner);
      assert.equal(calls.length, 1, "the signer sees one digest, never the data");
      const local = importPublicJwk(publicJwk(vaultKey));
      assert.equal(await verifyData(alg, Buffer.from("streamed document"), signature, local), true);
      assert.equal(await verifyData(alg, Buffer.from("streamed documents"), signature, local), false);
    }
  });

  it("an RS256 signData signature is a standard one: node:crypto verifies it over the data", async () => {
    const key = await keyFor({ kty: "RSA" });
    const signature = await signData("RS256", Buffer.from("plain"), key);
    assert.equal(nodeVerify("sha256", Buffer.from("plain"), createPublicKey({ key: publicJwk(key) as never, format: "jwk" }), signature), true);
  });

  it("HS256 over a stream, verified with a caller's verifier", async () => {
    const key = await keyFor(ALG_KEYS.HS256);
    const mac = await signData("HS256", [Buffer.from("a"), Buffer.from("b")], key);
    assert.equal(await verifyData("HS256", Buffer.from("ab"), mac, key), true);
    assert.equal(await verifyData("HS256", Buffer.from("ab"), mac, async () => false), false);
    await assert.rejects(digestOf("XS256" as never, Buffer.alloc(1)), { code: "InvalidValue", message: /Unknown signature algorithm/ });
  });
});
