import assert from "node:assert/strict";
import { test } from "node:test";
import { cachingCredential } from "../../src/auth/token-cache-credential.js";

test("a token is reused until five minutes before expiry; concurrent calls share one fetch", async () => {
  let calls = 0;
  let now = 1_000_000;
  const inner = {
    async getToken() {
      calls++;
      return { token: `t${calls}`, expiresOnTimestamp: now + 60 * 60_000 };
    },
  };
  const cred = cachingCredential(inner, () => now);
  const [a, b] = await Promise.all([cred.getToken("s"), cred.getToken("s")]);
  assert.equal(calls, 1);
  assert.equal(a?.token, b?.token);
  now += 50 * 60_000;
  assert.equal((await cred.getToken("s"))?.token, "t1");
  now += 6 * 60_000;
  assert.equal((await cred.getToken("s"))?.token, "t2");
  assert.equal((await cred.getToken("other"))?.token, "t3");
});
