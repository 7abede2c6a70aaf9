import assert from "node:assert/strict";
import { constants, createHash, createPublicKey, publicEncrypt, randomBytes, verify, type KeyObject } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { KeyClient } from "@azure/keyvault-keys";
import { opensslDir, type OpensslDir } from "../helpers/openssl.js";
import { credential, rawRequest, sdkClientOptions, startTestServer, type TestServer } from "../helpers/server.js";

// Interoperability both ways, from nothing but the public JWK the server hands out: its
// signatures verify with node:crypto and with openssl, and what they encrypt with that public key
// the server decrypts (issue 11, "what it must show").

const AUTH = { authorization: "Bearer t", "content-type": "application/json" };

describe("keys interoperability with node:crypto and openssl", () => {
  let server: TestServer;
  let keys: KeyClient;
  let ssl: OpensslDir;

  before(async () => {
    server = await startTestServer();
    keys = new KeyClient(server.url, credential, sdkClientOptions(server.ca));
    ssl = opensslDir();
  });
  after(async () => {
    ssl.close();
    await server.close();
  });

  async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
    const reply = await rawRequest(server.url, server.ca, { method: "POST", path: `${path}?api-version=7.5`, headers: AUTH, body: JSON.stringify(body) });
    assert.equal(reply.status, 200, reply.body);
    return JSON.parse(reply.body) as Record<string, unknown>;
  }

  /** The public key as node:crypto reads it from the wire JWK (`kid`, `key_ops` dropped; P-256K is `secp256k1` to node). */
  async function publicKeyOf(name: string): Promise<KeyObject> {
    const reply = await rawRequest(server.url, server.ca, { path: `/keys/${name}?api-version=7.5`, headers: AUTH });
    const { kid: _kid, key_ops: _ops, ...jwk } = (JSON.parse(reply.body) as { key: Record<string, string> }).key;
    if (jwk.crv === "P-256K") jwk.crv = "secp256k1";
    jwk.kty = jwk.kty!.replace("-HSM", "");
    return createPublicKey({ key: jwk, format: "jwk" });
  }

  /** A raw r||s signature as DER, the form openssl reads. */
  function derOf(raw: Buffer): Buffer {
    const half = raw.length / 2;
    const int = (b: Buffer) => {
      let i = 0;
      while (i < b.length - 1 && b[i] === 0) i++;
      const trimmed = b.subarray(i);
      const body = trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
      return Buffer.concat([Buffer.from([0x02, body.length]), body]);
    };
    const seq = Buffer.concat([int(raw.subarray(0, half)), int(raw.subarray(half))]);
    const length = seq.length < 0x80 ? Buffer.from([seq.length]) : Buffer.from([0x81, seq.length]);
    return Buffer.concat([Buffer.from([0x30]), length, seq]);
  }

  const cases = [
    { name: "rsa-pkcs1", alg: "RS256", hash: "sha256", create: () => keys.createRsaKey("rsa-pkcs1") },
    { name: "rsa-pss", alg: "PS384", hash: "sha384", create: () => keys.createRsaKey("rsa-pss", { keySize: 3072 }) },
    { name: "ec-p256", alg: "ES256", hash: "sha256", create: () => keys.createEcKey("ec-p256", { curve: "P-256" }) },
    { name: "ec-p384", alg: "ES384", hash: "sha384", create: () => keys.createEcKey("ec-p384", { curve: "P-384" }) },
    { name: "ec-p521", alg: "ES512", hash: "sha512", create: () => keys.createEcKey("ec-p521", { curve: "P-521" }) },
    { name: "ec-p256k", alg: "ES256K", hash: "sha256", create: () => keys.createEcKey("ec-p256k", { curve: "P-256K" }) },
  ] as const;

  for (const c of cases) {
    it(`${c.alg}: the server's signature verifies with node:crypto and openssl from the public JWK`, async () => {
      await c.create();
      const data = randomBytes(100);
      const digest = createHash(c.hash).update(data).digest();
      const { value } = await post(`/keys/${c.name}//sign`, { alg: c.alg, value: digest.toString("base64url") });
      const signature = Buffer.from(value as string, "base64url");
      const key = await publicKeyOf(c.name);
      const pss = c.alg.startsWith("PS");
      const ec = c.alg.startsWith("ES");
      const options = pss
        ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: digest.length }
        : ec
          ? { key, dsaEncoding: "ieee-p1363" as const }
          : { key };
      assert.equal(verify(c.hash, data, options, signature), true, "node:crypto");
      const other = Buffer.from(data);
      other[0]! ^= 1;
      assert.equal(verify(c.hash, other, options, signature), false, "node:crypto, other data");

      ssl.write(`${c.name}.pem`, key.export({ type: "spki", format: "pem" }));
      ssl.write(`${c.name}.data`, data);
      ssl.write(`${c.name}.sig`, ec ? derOf(signature) : signature);
      const args = ["dgst", `-${c.hash}`, "-verify", `${c.name}.pem`, "-signature", `${c.name}.sig`];
      if (pss) args.push("-sigopt", "rsa_padding_mode:pss", "-sigopt", `rsa_pss_saltlen:${digest.length}`);
      assert.match(ssl.run(...args, `${c.name}.data`), /Verified OK/);
    });
  }

  it("data encrypted with the public JWK by node:crypto and openssl decrypts on the server (RSA1_5, RSA-OAEP, RSA-OAEP-256)", async () => {
    await keys.createRsaKey("rsa-enc", { keySize: 2048 });
    const key = await publicKeyOf("rsa-enc");
    const paddings = [
      { alg: "RSA1_5", node: { key, padding: constants.RSA_PKCS1_PADDING }, openssl: ["-pkeyopt", "rsa_padding_mode:pkcs1"] },
      { alg: "RSA-OAEP", node: { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" }, openssl: ["-pkeyopt", "rsa_padding_mode:oaep"] },
      {
        alg: "RSA-OAEP-256",
        node: { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
        openssl: ["-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256"],
      },
    ];
    ssl.write("rsa-enc.pem", key.export({ type: "spki", format: "pem" }));
    for (const p of paddings) {
      const secret = randomBytes(32);
      const byNode = publicEncrypt(p.node, secret);
      const fromNode = await post("/keys/rsa-enc//decrypt", { alg: p.alg, value: byNode.toString("base64url") });
      assert.deepEqual(Buffer.from(fromNode.value as string, "base64url"), secret, `${p.alg} node:crypto`);

      ssl.write("plain.bin", secret);
      ssl.run("pkeyutl", "-encrypt", "-pubin", "-inkey", "rsa-enc.pem", ...p.openssl, "-in", "plain.bin", "-out", "enc.bin");
      const fromOpenssl = await post("/keys/rsa-enc//unwrapkey", { alg: p.alg, value: ssl.read("enc.bin").toString("base64url") });
      assert.deepEqual(Buffer.from(fromOpenssl.value as string, "base64url"), secret, `${p.alg} openssl`);
    }
  });
});
