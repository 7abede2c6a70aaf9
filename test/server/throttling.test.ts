import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SecretClient } from "@azure/keyvault-secrets";
import { KeyVaultBackend } from "../../src/backends/keyvault-backend.js";
import { SecretStr } from "../../src/core/secret-str.js";
import { sdkClientOptions, startTestServer, testCredential, type TestServer } from "../helpers/server.js";

/** Every other request throttled: deterministic, so the SDK's single retry always gets through. */
function alternating(): () => number {
  let n = 0;
  return () => (n++ % 2 === 0 ? 0 : 0.99);
}

describe("injected throttling (vault serve --throttle-rate)", () => {
  let every2nd: TestServer;
  let always: TestServer;
  before(async () => {
    every2nd = await startTestServer({ faults: { throttleRate: 0.5, retryAfterSeconds: 0, random: alternating() } });
    always = await startTestServer({ faults: { throttleRate: 1, throttleStatus: 503, retryAfterSeconds: 0 } });
  });
  after(async () => {
    await every2nd.close();
    await always.close();
  });

  it("the SDK honours Retry-After and every operation completes with the right value", async () => {
    const client = new SecretClient(every2nd.url, testCredential, sdkClientOptions(every2nd.ca));
    for (let i = 0; i < 10; i++) await client.setSecret(`t-${i}`, `value-${i}`);
    for (let i = 0; i < 10; i++) assert.equal((await client.getSecret(`t-${i}`)).value, `value-${i}`);
  });

  it("when retries run out, our backend reports Unavailable (503) with the vault URL", async () => {
    const backend = await KeyVaultBackend.create({
      vaultUrl: always.url,
      credential: testCredential,
      ca: always.ca,
      disableChallengeResourceVerification: true,
      retryOptions: { maxRetries: 1, retryDelayInMs: 1, maxRetryDelayInMs: 5 },
    });
    await assert.rejects(backend.setSecret("never", new SecretStr("v")), (error: { code: string; message: string; statusCode: number }) => {
      assert.equal(error.code, "Unavailable");
      assert.equal(error.statusCode, 503);
      assert.ok(error.message.includes(always.url));
      return true;
    });
  });
});
