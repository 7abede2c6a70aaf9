import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeyVaultKeysBackend } from "../../src/backends/keys-keyvault-backend.js";
import { credential } from "../helpers/server.js";

describe("backends: the Key Vault keys backend refuses dates the SDK would send wrong", () => {
  it("a date after 2038-01-19 is refused before any request (the SDK writes 32-bit seconds), naming the attribute", async () => {
    // Port 9 on loopback: nothing listens, and nothing is sent, because the check comes first.
    const backend = await KeyVaultKeysBackend.create({ vaultUrl: "https://127.0.0.1:9", credential });
    await assert.rejects(backend.createKey("k", { keyType: "EC", notBefore: new Date("2099-01-01T00:00:00Z") }), {
      code: "InvalidValue",
      message: /notBefore 2099-01-01T00:00:00.000Z is after 2038-01-19T03:14:07Z/,
    });
    await assert.rejects(backend.updateKeyProperties("k", "0".repeat(32), { expiresOn: new Date("2038-01-19T03:14:08Z") }), {
      code: "InvalidValue",
      message: /^expiresOn/,
    });
  });
});
