import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SecretClient } from "@azure/keyvault-secrets";
import { KeyVaultBackend } from "../../src/backends/keyvault-backend.js";
import { SecretStr } from "../../src/core/secret-str.js";
import { credential, rawRequest, sdkClientOptions, startTestServer, type TestServer } from "../helpers/server.js";

/** Every other authenticated request throttled: deterministic, so one SDK retry always gets through. */
function alternating(): () => number {
  let n = 0;
  return () => (n++ % 2 === 0 ? 0 : 0.99);
}

describe("injected faults (vault serve --throttle-rate, --latency)", () => {
  let every2nd: TestServer;
  let firstTwo: TestServer;
  let always: TestServer;
  before(async () => {
    every2nd = await startTestServer({ faults: { throttleRate: 0.5, retryAfterSeconds: 0, random: alternating() } });
    firstTwo = await startTestServer({ faults: { throttleFirst: 2, retryAfterSeconds: 1, throttleStatus: 429 } });
    always = await startTestServer({ faults: { throttleRate: 1, throttleStatus: 503, retryAfterSeconds: 0 } });
  });
  after(async () => {
    await every2nd.close();
    await firstTwo.close();
    await always.close();
  });

  it("the SDK honours Retry-After on 429 and every operation completes with the right value", async () => {
    const client = new SecretClient(every2nd.url, credential, sdkClientOptions(every2nd.ca));
    for (let i = 0; i < 5; i++) await client.setSecret(`t-${i}`, `value-${i}`);
    for (let i = 0; i < 5; i++) assert.equal((await client.getSecret(`t-${i}`)).value, `value-${i}`);
  });

  it("waits the Retry-After seconds it is told: two throttled replies with Retry-After 1 cost about 2 s", async () => {
    const client = new SecretClient(firstTwo.url, credential, sdkClientOptions(firstTwo.ca));
    const started = Date.now();
    assert.equal((await client.setSecret("patient", "v")).value, "v");
    const waited = Date.now() - started;
    assert.ok(waited >= 1900 && waited < 6000, `waited ${waited} ms`);
  });

  it("a throttled reply is Key Vault's JSON envelope with Retry-After; the 401 handshake is never throttled", async () => {
    const noToken = await rawRequest(always.url, always.ca, { path: "/secrets?api-version=7.4" });
    assert.equal(noToken.status, 401);
    const throttled = await rawRequest(always.url, always.ca, { path: "/secrets?api-version=7.4", headers: { authorization: "Bearer t" } });
    assert.equal(throttled.status, 503);
    assert.equal(throttled.headers["retry-after"], "0");
    assert.equal(JSON.parse(throttled.body).error.code, "ServiceUnavailable");
  });

  it("when retries run out, our backend reports Unavailable (503) with the vault URL", async () => {
    const backend = await KeyVaultBackend.create({
      vaultUrl: always.url,
      credential,
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

  it("an SDK 429's Retry-After: N becomes N seconds in ThrottledError.retryAfterMs", async () => {
    const throttled = await startTestServer({ faults: { throttleRate: 1, throttleStatus: 429, retryAfterSeconds: 7 } });
    try {
      const backend = await KeyVaultBackend.create({
        vaultUrl: throttled.url,
        credential,
        ca: throttled.ca,
        disableChallengeResourceVerification: true,
        retryOptions: { maxRetries: 0 },
      });
      await assert.rejects(backend.getSecret("any"), (error: { code: string; statusCode: number; retryAfterMs?: number }) => {
        assert.equal(error.code, "Throttled");
        assert.equal(error.statusCode, 429);
        assert.equal(error.retryAfterMs, 7000);
        return true;
      });
    } finally {
      await throttled.close();
    }
  });

  it("--latency delays every request", async () => {
    const slow = await startTestServer({ faults: { latencyMs: 150 } });
    try {
      const started = Date.now();
      const reply = await rawRequest(slow.url, slow.ca, { path: "/secrets?api-version=7.4", headers: { authorization: "Bearer t" } });
      assert.equal(reply.status, 200);
      assert.ok(Date.now() - started >= 140);
    } finally {
      await slow.close();
    }
  });
});
