import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newClientSecret } from "../../src/server/identity/client-secret.js";

describe("server: generated client secrets", () => {
  it("never start with '-' (az login -p and option parsers would take them for an option), and are base64url of the size asked", () => {
    // One in 64 base64url strings starts with '-': 2,000 draws miss it with odds ~1e-14.
    for (let i = 0; i < 2000; i++) {
      const secret = newClientSecret(24);
      assert.ok(!secret.startsWith("-"), secret.slice(0, 1));
      assert.equal(Buffer.from(secret, "base64url").length, 24);
    }
  });
});
