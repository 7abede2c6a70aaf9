import assert from "node:assert/strict";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { describe, it } from "node:test";
import { publicKeyPem } from "../../src/cli/commands/keys-output.js";
import type { JsonWebKey } from "../../src/crypto/types.js";

describe("orbitra keys show --format pem: the public JWK as SPKI PEM", () => {
  it("an -HSM type and Key Vault's P-256K name (secp256k1 to OpenSSL) come out as the same public key", () => {
    for (const [curve, crv] of [["secp256k1", "P-256K"], ["prime256v1", "P-256"]] as const) {
      const { publicKey } = generateKeyPairSync("ec", { namedCurve: curve });
      const jwk = publicKey.export({ format: "jwk" }) as { x: string; y: string };
      const pem = publicKeyPem({ kty: "EC-HSM", crv, x: jwk.x, y: jwk.y, kid: "https://v/keys/k/1", key_ops: ["verify"] } as JsonWebKey, "k");
      assert.ok(createPublicKey(pem).equals(publicKey));
    }
  });

  it("refuses an oct key, which has no public half, saying what to use instead", () => {
    assert.throws(() => publicKeyPem({ kty: "oct-HSM" }, "aes"), { code: "InvalidValue", message: /symmetric \(oct\) key.*--format jwk/ });
  });
});
