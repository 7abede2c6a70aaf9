// `vault serve --rate-limit azure`: Key Vault's per-vault limits (4,000 transactions per 10 s,
// weighted: a secret create costs 4,000 / 300 of them), answered as Key Vault answers them.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SecretClient } from "@azure/keyvault-secrets";
import { KEY_VAULT_LIMITS, VaultRateLimit } from "../../src/server/rate-limit.js";
import { credential, rawRequest, sdkClientOptions, startTestServer, type TestServer } from "../helpers/server.js";

const GET = "Microsoft.KeyVault/vaults/secrets/getSecret/action";
const SET = "Microsoft.KeyVault/vaults/secrets/setSecret/action";
const KEY_CREATE = "Microsoft.KeyVault/vaults/keys/create/action";

function limiter() {
  const clock = { now: 1_000_000 };
  return { clock, limit: new VaultRateLimit(() => clock.now) };
}

describe("the rate limit (Key Vault's per-vault window)", () => {
  it("admits 4,000 GETs in 10 s, refuses the next with Retry-After until the first ages out", () => {
    const { clock, limit } = limiter();
    for (let i = 0; i < KEY_VAULT_LIMITS.budget; i++) {
      assert.equal(limit.check("v", GET), undefined, `request ${i}`);
      if (i % 1000 === 999 && i < 3999) clock.now += 1000; // at 0, 1, 2 and 3 s
    }
    const refused = limit.check("v", GET)!;
    assert.equal(refused.status, 429);
    assert.equal(refused.code, "Throttled");
    assert.equal(refused.headers["retry-after"], "7"); // the first 1,000 leave the window at 10 s; now is 3 s
    clock.now += 6_999;
    assert.equal(limit.check("v", GET)?.headers["retry-after"], "1");
    clock.now += 1;
    assert.equal(limit.check("v", GET), undefined);
  });

  it("weighs creates: 300 secret creates fill the budget, 20 key creates do too, and then a GET waits", () => {
    const { clock, limit } = limiter();
    for (let i = 0; i < 300; i++) assert.equal(limit.check("v", SET), undefined, `create ${i}`);
    assert.equal(limit.check("v", SET)?.status, 429);
    assert.equal(limit.check("v", GET)?.status, 429);
    clock.now += 10_000;
    for (let i = 0; i < 20; i++) assert.equal(limit.check("v", KEY_CREATE), undefined, `key create ${i}`);
    assert.equal(limit.check("v", GET)?.status, 429);
  });

  it("counts each vault on its own, and does not count the requests it refuses", () => {
    const { clock, limit } = limiter();
    for (let i = 0; i < KEY_VAULT_LIMITS.budget; i++) limit.check("a", GET);
    assert.equal(limit.check("a", GET)?.status, 429);
    assert.equal(limit.check("b", GET), undefined);
    for (let i = 0; i < 100; i++) limit.check("a", GET); // all refused
    clock.now += 10_000;
    for (let i = 0; i < KEY_VAULT_LIMITS.budget; i++) assert.equal(limit.check("a", GET), undefined, `request ${i}`);
  });
});

describe("vault serve with rateLimit: azure", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rateLimit: "azure" });
  });
  after(() => server.close());

  it("answers past the limit with Key Vault's 429: status, JSON body, Retry-After; the 401 handshake is not counted", async () => {
    const client = new SecretClient(server.url, credential, { ...sdkClientOptions(server.ca), retryOptions: { maxRetries: 0 } });
    for (let i = 0; i < 300; i++) await client.setSecret(`s-${i}`, "v");
    const noToken = await rawRequest(server.url, server.ca, { path: "/secrets/s-1?api-version=7.5" });
    assert.equal(noToken.status, 401);
    const reply = await rawRequest(server.url, server.ca, {
      path: "/secrets/s-1?api-version=7.5",
      headers: { authorization: "Bearer t", "x-ms-client-request-id": "abc" },
    });
    assert.equal(reply.status, 429);
    assert.match(String(reply.headers["retry-after"]), /^([1-9]|10)$/);
    assert.match(String(reply.headers["content-type"]), /^application\/json/);
    assert.ok(reply.headers["x-ms-request-id"]);
    assert.equal(reply.headers["x-ms-client-request-id"], "abc");
    assert.deepEqual(JSON.parse(reply.body), {
      error: { code: "Throttled", message: "Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached" },
    });
    // The SDK's own error for it (its retries are off here): status and Key Vault's code.
    await assert.rejects(client.getSecret("s-1"), (error: { statusCode?: number; code?: string }) => error.statusCode === 429 && error.code === "Throttled");
  });
});
