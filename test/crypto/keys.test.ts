import assert from "node:assert/strict";
import { createPublicKey } from "node:crypto";
import { describe, it } from "node:test";
import { generateKey } from "../../src/crypto/key-generate.js";
import { importPrivateJwk, importPublicJwk, parseKeyOps } from "../../src/crypto/jwk-import.js";
import { privateJwk, publicJwk } from "../../src/crypto/jwk-export.js";
import { privateKeyFromBytes, privateKeyToBytes } from "../../src/crypto/private-form.js";
import type { JsonWebKey } from "../../src/crypto/types.js";
import { keyFor } from "./key-fixture.js";

const badParameter = (message: RegExp) => ({ code: "InvalidValue", serviceCode: "BadParameter", statusCode: 400, message });
const PRIVATE_MEMBERS = ["d", "dp", "dq", "qi", "p", "q", "k"];

describe("crypto keys: generation", () => {
  for (const bits of [2048, 3072, 4096]) {
    it(`makes RSA-${bits} with e=AQAB and a public JWK of the right size`, async () => {
      const key = await keyFor({ kty: "RSA", keySize: bits === 2048 ? undefined : bits } as never);
      const jwk = publicJwk(key);
      assert.equal(jwk.kty, "RSA");
      assert.equal(jwk.e, "AQAB");
      assert.equal(Buffer.from(jwk.n!, "base64url").byteLength, bits / 8);
    });
  }

  it("honours a public exponent and refuses an even or tiny one", async () => {
    const key = await generateKey({ kty: "RSA-HSM", publicExponent: 3 });
    assert.equal(publicJwk(key).e, "Aw");
    assert.equal(key.kty, "RSA-HSM");
    await assert.rejects(generateKey({ kty: "RSA", publicExponent: 4 }), badParameter(/odd integer/));
    await assert.rejects(generateKey({ kty: "RSA", keySize: 1024 }), badParameter(/2048, 3072 or 4096/));
  });

  for (const crv of ["P-256", "P-384", "P-521", "P-256K"] as const) {
    it(`makes EC ${crv} and says P-256K, not secp256k1, in its JWK`, async () => {
      const key = await keyFor({ kty: "EC-HSM", crv });
      const jwk = publicJwk(key, ["sign", "verify"], "https://v.vault.azure.net/keys/k/1");
      assert.deepEqual(Object.keys(jwk), ["kid", "kty", "key_ops", "crv", "x", "y"]);
      assert.equal(jwk.crv, crv);
      assert.equal(jwk.kty, "EC-HSM");
    });
  }

  for (const bits of [128, 192, 256]) {
    it(`makes oct-HSM ${bits} whose public JWK holds no key material`, async () => {
      const key = await keyFor({ kty: "oct-HSM", keySize: bits });
      assert.deepEqual(publicJwk(key, ["encrypt"]), { kty: "oct-HSM", key_ops: ["encrypt"] });
      assert.equal(Buffer.from(privateJwk(key).k!, "base64url").byteLength, bits / 8);
    });
  }

  it("refuses unknown types, curves and sizes", async () => {
    await assert.rejects(generateKey({ kty: "DSA" as never }), badParameter(/'kty' must be one of/));
    await assert.rejects(generateKey({ kty: "EC", crv: "P-224" as never }), badParameter(/'crv' must be one of/));
    await assert.rejects(generateKey({ kty: "oct", keySize: 512 }), badParameter(/128, 192 or 256/));
  });
});

describe("crypto keys: JWK in and out", () => {
  it("never puts a private member in a public JWK, for every family", async () => {
    for (const spec of [{ kty: "RSA" }, { kty: "EC", crv: "P-521" }, { kty: "oct", keySize: 128 }] as const) {
      const jwk = publicJwk(await keyFor(spec)) as unknown as Record<string, unknown>;
      for (const m of PRIVATE_MEMBERS) assert.equal(jwk[m], undefined, `${spec.kty} public JWK has ${m}`);
    }
  });

  it("imports a private JWK back to the same key, with the Hsm flag", async () => {
    for (const spec of [{ kty: "RSA" }, { kty: "EC", crv: "P-256K" }, { kty: "oct", keySize: 192 }] as const) {
      const key = await keyFor(spec);
      const again = importPrivateJwk(privateJwk(key), { hsm: true });
      assert.equal(again.kty, `${spec.kty}-HSM`);
      assert.deepEqual({ ...publicJwk(again), kty: spec.kty }, publicJwk(key));
      assert.deepEqual({ ...privateJwk(again), kty: spec.kty }, privateJwk(key));
    }
  });

  it("gives node:crypto a usable public key from the public JWK", async () => {
    const key = await keyFor({ kty: "EC", crv: "P-384" });
    const pub = createPublicKey({ key: publicJwk(key) as never, format: "jwk" });
    assert.equal(pub.asymmetricKeyDetails?.namedCurve, "secp384r1");
  });

  it("serialises private material to the same bytes every time, and back", async () => {
    for (const spec of [{ kty: "RSA-HSM" }, { kty: "EC", crv: "P-256" }, { kty: "oct-HSM", keySize: 256 }] as const) {
      const key = await keyFor(spec);
      const bytes = privateKeyToBytes(key);
      assert.deepEqual(privateKeyToBytes(key), bytes);
      const back = privateKeyFromBytes(bytes);
      assert.equal(back.kty, spec.kty);
      assert.deepEqual(privateJwk(back), privateJwk(key));
      assert.deepEqual(privateKeyToBytes(back), bytes);
    }
    assert.throws(() => privateKeyFromBytes(Buffer.from([9, 1, 2])), { code: "InvalidValue", message: /not in a form/ });
  });

  it("imports a public-only JWK for local use, and refuses it as a private import", async () => {
    const pub = publicJwk(await keyFor({ kty: "RSA" }));
    assert.equal(importPublicJwk(pub).family, "RSA");
    assert.throws(() => importPrivateJwk(pub), badParameter(/lacks its 'd' member/));
  });

  it("parses key_ops and refuses unknown operations", () => {
    assert.deepEqual(parseKeyOps(["sign", "verify", "sign"]), ["sign", "verify"]);
    assert.equal(parseKeyOps(undefined), undefined);
    assert.throws(() => parseKeyOps(["sign", "launch"]), badParameter(/unknown operation 'launch'/));
    assert.throws(() => parseKeyOps("sign"), badParameter(/must be an array/));
  });
});

describe("crypto keys: validation of an incoming JWK", () => {
  const rsaJwk = async () => privateJwk(await keyFor({ kty: "RSA" }));
  const ecJwk = async () => privateJwk(await keyFor({ kty: "EC", crv: "P-256" }));

  it("refuses what is not a JWK, an unknown kty or crv, and BYOK blobs", async () => {
    const ec = await ecJwk();
    const rsa = await rsaJwk();
    assert.throws(() => importPrivateJwk("key"), badParameter(/JSON Web Key object/));
    assert.throws(() => importPrivateJwk([]), badParameter(/JSON Web Key object/));
    assert.throws(() => importPrivateJwk({ kty: "OKP" }), badParameter(/'kty' must be one of/));
    assert.throws(() => importPrivateJwk({ ...ec, crv: "P-192" }), badParameter(/'crv' must be one of/));
    assert.throws(() => importPrivateJwk({ ...rsa, key_hsm: "AAAA" }), badParameter(/BYOK/));
  });

  it("refuses members that are not strict base64url", async () => {
    const jwk = await rsaJwk();
    assert.throws(() => importPrivateJwk({ ...jwk, e: "AQAB=" }), badParameter(/'e' member is not base64url/));
    assert.throws(() => importPrivateJwk({ ...jwk, n: jwk.n!.replace(/^./, "+") }), badParameter(/'n' member is not base64url/));
    assert.throws(() => importPrivateJwk({ ...jwk, d: 42 }), badParameter(/'d' member is not base64url/));
  });

  it("refuses oversize members before decoding them", async () => {
    const rsa = await rsaJwk();
    assert.throws(() => importPrivateJwk({ ...rsa, n: "A".repeat(100_000) }), badParameter(/'n' member is too large/));
  });

  it("refuses wrong sizes: RSA-1024, a short EC coordinate, a 512-bit oct key", async () => {
    const small = { kty: "RSA", n: Buffer.alloc(128, 0xff).toString("base64url"), e: "AQAB" } as JsonWebKey;
    assert.throws(() => importPublicJwk(small), badParameter(/2048, 3072 or 4096 bits; 'n' holds 1024/));
    const ec = await ecJwk();
    assert.throws(() => importPrivateJwk({ ...ec, x: ec.x!.slice(0, 40) }), badParameter(/On P-256, 'x' is 32 bytes; this one is 30/));
    assert.throws(() => importPrivateJwk({ kty: "oct", k: Buffer.alloc(64).toString("base64url") }), badParameter(/oct key is 128, 192 or 256 bits; 'k' holds 512/));
  });

  it("refuses a point that is not on the curve, and one of another curve", async () => {
    const ec = await ecJwk();
    const y = Buffer.from(ec.y!, "base64url");
    y.writeUInt8(y.readUInt8(31) ^ 1, 31);
    assert.throws(() => importPublicJwk({ ...ec, y: y.toString("base64url") }), badParameter(/not a valid point on P-256/));
    const k1 = privateJwk(await keyFor({ kty: "EC", crv: "P-256K" }));
    assert.throws(() => importPublicJwk({ ...k1, crv: "P-256" }), badParameter(/not a valid point on P-256/));
  });

  it("refuses private members that belong to another key", async () => {
    const ec = await ecJwk();
    const other = privateJwk(await generateKey({ kty: "EC", crv: "P-256" }));
    assert.throws(() => importPrivateJwk({ ...ec, d: other.d }), badParameter(/does not belong to the public point/));
    const rsa = await rsaJwk();
    const otherRsa = privateJwk(await generateKey({ kty: "RSA" }));
    assert.throws(() => importPrivateJwk({ ...rsa, d: otherRsa.d }), badParameter(/RSA private members .* do not belong to its public members/));
  });

  it("never repeats a member's value in its message", async () => {
    const jwk = await rsaJwk();
    try {
      importPrivateJwk({ ...jwk, d: jwk.d!.slice(0, 50) + "!" });
      assert.fail("should refuse");
    } catch (error) {
      assert.ok(!(error as Error).message.includes(jwk.d!.slice(0, 20)));
    }
  });
});

describe("crypto keys: material does not leak", () => {
  it("printing or serialising key material shows no private member", async () => {
    const { inspect } = await import("node:util");
    for (const spec of [{ kty: "RSA" }, { kty: "EC", crv: "P-256" }, { kty: "oct-HSM", keySize: 256 }] as const) {
      const key = await keyFor(spec);
      const secret = privateJwk(key);
      const shown = `${inspect(key, { depth: 5 })} ${JSON.stringify(key)} ${String(key)}`;
      for (const m of ["d", "p", "q", "k"] as const) {
        const value = (secret as unknown as Record<string, string | undefined>)[m];
        if (value !== undefined) assert.ok(!shown.includes(value.slice(0, 16)), `${spec.kty} shows ${m}`);
      }
    }
  });
});
