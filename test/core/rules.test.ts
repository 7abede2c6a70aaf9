import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  assertValidContentType,
  assertValidName,
  assertValidTags,
  assertValidValue,
  assertValidVersion,
  isValidName,
  LIMITS,
} from "../../src/core/rules.js";

describe("Key Vault rules", () => {
  it("accepts names of 1-127 letters, digits and dashes", () => {
    for (const name of ["a", "A-1", "x".repeat(127), "0-leading-digit", "-dash"]) {
      assert.doesNotThrow(() => assertValidName(name));
      assert.equal(isValidName(name), true);
    }
  });

  it("refuses other names with InvalidName and a message that says what is allowed", () => {
    for (const name of ["", "a_b", "a.b", "a b", "x".repeat(128), "é", "a/b", "a\nb"]) {
      assert.throws(() => assertValidName(name), (error: { code: string; message: string }) => {
        assert.equal(error.code, "InvalidName");
        assert.match(error.message, /letters, digits|1-127|at most 127/);
        assert.equal(error.message.includes("\n"), false);
        return true;
      });
      assert.equal(isValidName(name), false);
    }
  });

  it("counts the 25 KB value limit in UTF-8 bytes", () => {
    assert.doesNotThrow(() => assertValidValue("x".repeat(LIMITS.valueMaxBytes)));
    assert.throws(() => assertValidValue("x".repeat(LIMITS.valueMaxBytes + 1)), { code: "InvalidValue" });
    assert.throws(() => assertValidValue("€".repeat(LIMITS.valueMaxBytes / 3 + 1)), { code: "InvalidValue" });
    assert.throws(() => assertValidValue(42), { code: "InvalidValue" });
  });

  it("never puts the value in the oversize message", () => {
    const value = "canary-oversize-" + "y".repeat(LIMITS.valueMaxBytes);
    assert.throws(() => assertValidValue(value), (error: Error) => !error.message.includes("canary-oversize"));
  });

  it("checks tags: count, name and value length, string values", () => {
    assert.doesNotThrow(() => assertValidTags({ a: "1" }));
    const fifteen = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`k${i}`, "v"]));
    assert.doesNotThrow(() => assertValidTags(fifteen));
    assert.throws(() => assertValidTags({ ...fifteen, extra: "v" }), { code: "InvalidValue" });
    assert.throws(() => assertValidTags({ "": "v" }), { code: "InvalidValue" });
    assert.doesNotThrow(() => assertValidTags({ k: "v".repeat(256) }), "256 characters is the limit itself, accepted");
    assert.doesNotThrow(() => assertValidTags({ ["k".repeat(256)]: "v" }), "so is a 256-character name");
    assert.throws(() => assertValidTags({ k: "v".repeat(257) }), { code: "InvalidValue" });
    assert.throws(() => assertValidTags({ ["k".repeat(257)]: "v" }), { code: "InvalidValue" });
    assert.throws(() => assertValidTags({ k: 1 }), { code: "InvalidValue" });
    assert.throws(() => assertValidTags(["a"]), { code: "InvalidValue" });
  });

  it("checks content type length and version format", () => {
    assert.doesNotThrow(() => assertValidContentType("t".repeat(255)));
    assert.throws(() => assertValidContentType("t".repeat(256)), { code: "InvalidValue" });
    assert.doesNotThrow(() => assertValidVersion("0123456789abcdef0123456789ABCDEF"));
    assert.throws(() => assertValidVersion("123"), { code: "InvalidName" });
  });
});
