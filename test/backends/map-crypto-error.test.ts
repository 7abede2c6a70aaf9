import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mapCryptoError } from "../../src/backends/map-crypto-error.js";

const VAULT = "https://127.0.0.1:8443";
const ID = `${VAULT}/keys/k1/0123456789abcdef0123456789abcdef`;

describe("backends: the CryptographyClient's own refusals as the vault's errors", () => {
  it("an operation the key's key_ops leave out: PermissionDenied, as the vault answers it", () => {
    const e = mapCryptoError(new Error(`Operation sign is not supported on key ${ID}`), "sign", VAULT, "k1");
    assert.equal(e.code, "PermissionDenied");
    assert.equal(e.message, "Operation sign is not permitted on this key.");
    assert.equal(e.kind, "key");
    assert.equal(e.objectName, "k1");
    assert.equal(e.vault, VAULT);
  });

  it("outside nbf..exp: PermissionDenied naming why", () => {
    const early = mapCryptoError(new Error(`Key ${ID} can't be used before 2099-01-01T00:00:00.000Z`), "encrypt", VAULT, "k1");
    assert.equal(early.code, "PermissionDenied");
    assert.match(early.message, /not yet valid/);
    const late = mapCryptoError(new Error(`Key ${ID} expired at 2020-01-01T00:00:00.000Z`), "sign", VAULT, "k1");
    assert.match(late.message, /expired key/);
  });

  it("anything else goes through the SDK error mapping (a 404 is KeyNotFound)", () => {
    const notFound = Object.assign(new Error("A key with (name/id) k1 was not found in this key vault."), { statusCode: 404 });
    assert.equal(mapCryptoError(notFound, "sign", VAULT, "k1").code, "KeyNotFound");
    // A RestError whose text happens to match is still the vault's answer, not a local check.
    const denied = Object.assign(new Error(`Operation sign is not supported on key ${ID}`), { statusCode: 400 });
    assert.equal(mapCryptoError(denied, "sign", VAULT, "k1").code, "InvalidValue");
  });
});
