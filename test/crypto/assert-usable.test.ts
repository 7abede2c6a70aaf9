import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assertUsable } from "../../src/crypto/assert-usable.js";
import type { CryptoOperation, KeyUsage } from "../../src/crypto/types.js";

const NOW = new Date("2030-06-01T12:00:00Z");
const ALL: CryptoOperation[] = ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"];
const forbidden = (serviceCode: string | undefined, message: RegExp) => ({ code: "PermissionDenied", statusCode: 403, serviceCode, message });

function allowed(key: KeyUsage, now = NOW): CryptoOperation[] {
  return ALL.filter((op) => {
    try {
      assertUsable(key, op, now);
      return true;
    } catch {
      return false;
    }
  });
}

describe("assertUsable", () => {
  it("lets every operation through on an enabled key with no key_ops and no dates", () => {
    assert.deepEqual(allowed({ enabled: true }), ALL);
  });

  it("refuses decrypt, sign and unwrapKey on a disabled key with 403 KeyDisabled, as Key Vault does", () => {
    const key = { enabled: false, name: "k1" };
    assert.deepEqual(allowed(key), ["encrypt", "verify", "wrapKey"]);
    assert.throws(() => assertUsable(key, "sign", NOW), { ...forbidden("KeyDisabled", /^Operation sign is not allowed on a disabled key\.$/), secretName: "k1" });
  });

  it("refuses what key_ops leave out with 403 'not permitted'", () => {
    const key: KeyUsage = { enabled: true, keyOps: ["verify", "wrapKey"] };
    assert.deepEqual(allowed(key), ["verify", "wrapKey"]);
    assert.throws(() => assertUsable(key, "unwrapKey", NOW), forbidden(undefined, /^Operation unwrapKey is not permitted on this key\.$/));
    assert.deepEqual(allowed({ enabled: true, keyOps: [] }), []);
  });

  it("limits encrypt, sign and wrapKey to nbf..exp, and never decrypt, verify or unwrapKey", () => {
    const expired: KeyUsage = { enabled: true, expiresOn: new Date(NOW.getTime() - 1000) };
    assert.deepEqual(allowed(expired), ["decrypt", "verify", "unwrapKey"]);
    assert.throws(() => assertUsable(expired, "encrypt", NOW), forbidden(undefined, /not allowed on an expired key/));
    const early: KeyUsage = { enabled: true, notBefore: new Date(NOW.getTime() + 1000) };
    assert.deepEqual(allowed(early), ["decrypt", "verify", "unwrapKey"]);
    assert.throws(() => assertUsable(early, "wrapKey", NOW), forbidden(undefined, /not allowed on a key that is not yet valid/));
  });

  it("takes the clock from the caller: the bounds themselves are inside the window", () => {
    const key: KeyUsage = { enabled: true, notBefore: NOW, expiresOn: NOW };
    assert.deepEqual(allowed(key, NOW), ALL);
    assert.deepEqual(allowed(key, new Date(NOW.getTime() + 1)), ["decrypt", "verify", "unwrapKey"]);
    assert.deepEqual(allowed(key, new Date(NOW.getTime() - 1)), ["decrypt", "verify", "unwrapKey"]);
  });
});

describe("crypto errors on the wire", () => {
  it("the server's error mapping turns them into Key Vault's statuses and codes", async () => {
    const { toHttpError } = await import("../../src/server/errors.js");
    const { getRandomBytes, operationFromPath } = await import("../../src/crypto/operations.js");
    const refusal = (fn: () => void) => {
      try {
        fn();
      } catch (error) {
        return toHttpError(error);
      }
      throw new Error("expected a refusal");
    };
    const disabled = refusal(() => assertUsable({ enabled: false }, "decrypt", NOW));
    assert.deepEqual(JSON.parse(disabled.body()), { error: { code: "Forbidden", message: "Operation decrypt is not allowed on a disabled key.", innererror: { code: "KeyDisabled" } } });
    assert.equal(disabled.status, 403);
    const notPermitted = refusal(() => assertUsable({ enabled: true, keyOps: [] }, "sign", NOW));
    assert.deepEqual([notPermitted.status, notPermitted.code, notPermitted.innerCode], [403, "Forbidden", undefined]);
    const bad = refusal(() => getRandomBytes(0));
    assert.deepEqual([bad.status, bad.code], [400, "BadParameter"]);
    assert.equal(operationFromPath("unwrapkey"), "unwrapKey");
    assert.equal(operationFromPath("export"), undefined);
  });
});
