import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { constants, createPublicKey, verify as nodeVerify } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { p256, p384, p521 } from "@noble/curves/nist.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { SIGNATURE } from "../../src/crypto/algorithms.js";
import { importPublicJwk } from "../../src/crypto/jwk-import.js";
import { publicJwk } from "../../src/crypto/jwk-export.js";
import type { EcKeyMaterial, KeyMaterial } from "../../src/crypto/key-material.js";
import { decrypt, encrypt, sign, verify } from "../../src/crypto/operations.js";
import type { SignatureAlgorithm } from "../../src/crypto/types.js";
import { ALG_KEYS, digest, keyFor } from "./key-fixture.js";

/**
 * Our signatures of a digest must be what any other implementation expects of the algorithm:
 * node:crypto's own verify over the message, with a key made from the public JWK alone, and
 * `openssl pkeyutl -verify` over the digest with the PEM public key. And the other way round.
 */
const dir = mkdtempSync(join(tmpdir(), "orbitra-crypto-interop-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const ASYMMETRIC = (Object.keys(ALG_KEYS) as SignatureAlgorithm[]).filter((alg) => !alg.startsWith("HS"));
const CURVES = { "P-256": p256, "P-384": p384, "P-521": p521, "P-256K": secp256k1 } as const;

/** node:crypto reads P-256K as secp256k1 in a JWK. */
function nodePublicKey(key: KeyMaterial) {
  const jwk = publicJwk(key) as unknown as Record<string, unknown>;
  if (jwk.crv === "P-256K") jwk.crv = "secp256k1";
  return createPublicKey({ key: { ...jwk, kty: key.family }, format: "jwk" });
}

function pkeyopts(alg: SignatureAlgorithm): string[] {
  const spec = SIGNATURE[alg];
  const opts = ["-pkeyopt", `digest:${spec.hash}`];
  if (spec.scheme === "pss") opts.push("-pkeyopt", "rsa_padding_mode:pss", "-pkeyopt", "rsa_pss_saltlen:digest");
  return opts;
}

function opensslVerifies(alg: SignatureAlgorithm, key: KeyMaterial, d: Uint8Array, signature: Uint8Array): boolean {
  const pem = nodePublicKey(key).export({ type: "spki", format: "pem" }) as string;
  writeFileSync(join(dir, "pub.pem"), pem);
  writeFileSync(join(dir, "digest.bin"), d);
  // openssl reads and writes ECDSA signatures as DER; JWS carries r||s.
  const der = key.family === "EC" ? CURVES[key.crv].Signature.fromBytes(signature, "compact").toBytes("der") : signature;
  writeFileSync(join(dir, "sig.bin"), der);
  try {
    execFileSync("openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", join(dir, "pub.pem"), "-in", join(dir, "digest.bin"), "-sigfile", join(dir, "sig.bin"), ...pkeyopts(alg)], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

function opensslSigns(alg: SignatureAlgorithm, key: KeyMaterial, d: Uint8Array): Uint8Array {
  if (key.family === "oct" || key.privateKey === undefined) throw new Error("needs a private key");
  writeFileSync(join(dir, "priv.pem"), key.privateKey.export({ type: "pkcs8", format: "pem" }) as string, { mode: 0o600 });
  writeFileSync(join(dir, "digest.bin"), d);
  const out = execFileSync("openssl", ["pkeyutl", "-sign", "-inkey", join(dir, "priv.pem"), "-in", join(dir, "digest.bin"), ...pkeyopts(alg)], { stdio: ["ignore", "pipe", "pipe"] });
  rmSync(join(dir, "priv.pem"));
  return key.family === "EC" ? CURVES[(key as EcKeyMaterial).crv].Signature.fromBytes(out, "der").toBytes("compact") : out;
}

describe("crypto interop: signatures", () => {
  for (const alg of ASYMMETRIC) {
    it(`${alg}: node:crypto verifies it over the message with the public JWK's key`, async () => {
      const key = await keyFor(ALG_KEYS[alg]);
      const spec = SIGNATURE[alg];
      const signature = await sign(key, alg, digest(alg, "interop message"));
      const options =
        spec.scheme === "pss"
          ? { key: nodePublicKey(key), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: spec.digestBytes }
          : spec.scheme === "ecdsa"
            ? { key: nodePublicKey(key), dsaEncoding: "ieee-p1363" as const }
            : nodePublicKey(key);
      assert.equal(nodeVerify(spec.hash, Buffer.from("interop message"), options, signature), true);
      assert.equal(nodeVerify(spec.hash, Buffer.from("interop massage"), options, signature), false);
    });

    it(`${alg}: openssl pkeyutl verifies it over the digest with the PEM public key, and we verify openssl's`, async () => {
      const key = await keyFor(ALG_KEYS[alg]);
      const d = digest(alg, "interop message");
      assert.equal(opensslVerifies(alg, key, d, await sign(key, alg, d)), true);
      assert.equal(opensslVerifies(alg, key, digest(alg, "other"), await sign(key, alg, d)), false);
      const theirs = opensslSigns(alg, key, d);
      assert.equal(await verify(importPublicJwk(publicJwk(key)), alg, d, theirs), true);
    });
  }
});

describe("crypto interop: RSA encryption", () => {
  for (const [alg, oaepHash] of [["RSA-OAEP", "sha1"], ["RSA-OAEP-256", "sha256"]] as const) {
    it(`${alg}: openssl decrypts what the public JWK encrypted`, async () => {
      const key = await keyFor({ kty: "RSA" });
      const { result } = await encrypt(importPublicJwk(publicJwk(key)), alg, Buffer.from("for openssl"));
      if (key.family !== "RSA" || key.privateKey === undefined) throw new Error("RSA key expected");
      writeFileSync(join(dir, "priv.pem"), key.privateKey.export({ type: "pkcs8", format: "pem" }) as string, { mode: 0o600 });
      writeFileSync(join(dir, "ct.bin"), result);
      const out = execFileSync("openssl", ["pkeyutl", "-decrypt", "-inkey", join(dir, "priv.pem"), "-in", join(dir, "ct.bin"), "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", `rsa_oaep_md:${oaepHash}`, "-pkeyopt", `rsa_mgf1_md:${oaepHash}`]);
      rmSync(join(dir, "priv.pem"));
      assert.equal(out.toString(), "for openssl");
    });
  }

  it("RSA1_5: we decrypt what openssl encrypted with the public PEM", async () => {
    const key = await keyFor({ kty: "RSA" });
    writeFileSync(join(dir, "pub.pem"), nodePublicKey(key).export({ type: "spki", format: "pem" }) as string);
    writeFileSync(join(dir, "pt.bin"), "from openssl");
    execFileSync("openssl", ["pkeyutl", "-encrypt", "-pubin", "-inkey", join(dir, "pub.pem"), "-in", join(dir, "pt.bin"), "-out", join(dir, "ct.bin"), "-pkeyopt", "rsa_padding_mode:pkcs1"]);
    assert.equal(Buffer.from(await decrypt(key, "RSA1_5", readFileSync(join(dir, "ct.bin")))).toString(), "from openssl");
  });
});
