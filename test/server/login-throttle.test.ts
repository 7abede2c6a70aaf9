import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { MAX_PENDING_PER_SOURCE } from "../../src/server/identity/device-codes.js";
import { hashSecretOffLoop, IdentityStore } from "../../src/server/identity/identity-store.js";
import { LoginThrottle } from "../../src/server/identity/login-throttle.js";
import { SERVER_TENANT } from "../../src/server/identity/token-service.js";
import { postForm, startTestServer, type TestServer } from "../helpers/server.js";
import { addServicePrincipal } from "../helpers/strict.js";

/** Item 4 of issue 9: the unauthenticated token endpoint must not let anyone spend the server's CPU or fill identity.db. */
describe("token endpoint: throttled client-secret checks", () => {
  test("a bucket per client id and per source: refused with a wait once empty, refilled with time, given back on success", () => {
    let now = 0;
    const throttle = new LoginThrottle({ now: () => now, perClient: { burst: 2, refillSeconds: 10 }, perSource: { burst: 3, refillSeconds: 5 } });
    const fail = (client: string, source: string) => {
      const a = throttle.admit(client, source);
      assert.ok(a.ok, `${client} from ${source} should be admitted`);
      a.release(false);
    };
    fail("a", "s1");
    fail("a", "s1");
    const third = throttle.admit("a", "s2");
    assert.deepEqual(third, { ok: false, retryAfterSeconds: 10 }, "the client id's bucket is empty, whatever the address");
    fail("b", "s1");
    assert.equal(throttle.admit("c", "s1").ok, false, "the address's bucket is empty, whatever the client id");
    now += 5_000;
    fail("c", "s1");
    now += 20_000;
    const good = throttle.admit("a", "s1");
    assert.ok(good.ok);
    good.release(true);
    for (let i = 0; i < 5; i++) {
      const again = throttle.admit("a", "s1");
      assert.ok(again.ok, "successes cost nothing");
      again.release(true);
    }
  });

  test("the hash runs off the event loop, and an unknown id is hashed like a known one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "orbitra-identity-"));
    let hashes = 0;
    const identities = IdentityStore.open(dir, {
      hash: (secret, salt) => {
        hashes++;
        return hashSecretOffLoop(secret, salt);
      },
    });
    try {
      const { principal, secret } = identities.addPrincipal("app", "service-principal");
      let turns = 0;
      const timer = setInterval(() => turns++, 0);
      const checked = await identities.checkClientSecret(principal.id, secret!);
      clearInterval(timer);
      assert.equal(checked?.id, principal.id);
      assert.ok(turns > 0, "timers ran while the secret was hashed");
      assert.equal(await identities.checkClientSecret(principal.id, "wrong"), undefined);
      assert.equal(await identities.checkClientSecret("00000000-0000-0000-0000-000000000000", "wrong"), undefined);
      assert.equal(hashes, 3, "the unknown id cost a hash too");
    } finally {
      identities.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("over HTTPS", () => {
    let server: TestServer;
    let app: { clientId: string; secret: string };
    const base = `/${SERVER_TENANT}/oauth2/v2.0`;
    before(async () => {
      server = await startTestServer({ auth: "strict", strict: { throttle: { perSource: { burst: 3, refillSeconds: 600 } } } });
      app = addServicePrincipal(server, "app", ["Key Vault Secrets User"]);
    });
    after(async () => {
      await server?.close();
    });
    const post = (path: string, form: Record<string, string>) => postForm(server, path, form);
    const login = (secret: string) =>
      post(`${base}/token`, { grant_type: "client_credentials", client_id: app.clientId, client_secret: secret, scope: "https://vault.azure.net/.default" });

    test("failed sign-ins from one address end in 429 with Retry-After, before any hash", async () => {
      assert.equal((await login(app.secret)).status, 200, "a success takes nothing from the bucket");
      const answers = await Promise.all([login("bad-1"), login("bad-2"), login("bad-3"), login("bad-4")]);
      assert.deepEqual(answers.map((a) => a.status).sort(), [401, 401, 401, 429]);
      const limited = await login(app.secret);
      assert.equal(limited.status, 429, limited.body);
      assert.ok(Number(limited.headers["retry-after"]) >= 1);
      const body = JSON.parse(limited.body) as { error: string; error_codes: number[] };
      assert.equal(body.error, "temporarily_unavailable");
      assert.deepEqual(body.error_codes, [90055]);
    });

    test("pending device codes are bounded per source address", async () => {
      const ask = () => post(`${base}/devicecode`, { client_id: "cli", scope: "https://vault.azure.net/.default" });
      for (let i = 0; i < MAX_PENDING_PER_SOURCE; i++) assert.equal((await ask()).status, 200);
      const refused = await ask();
      assert.equal(refused.status, 429, refused.body);
      assert.ok(Number(refused.headers["retry-after"]) >= 1);
      const identities = IdentityStore.open(server.dataDir);
      try {
        assert.equal(identities.deviceCodes.listPending(Math.floor(Date.now() / 1000)).length, MAX_PENDING_PER_SOURCE);
      } finally {
        identities.close();
      }
    });
  });

  test("device codes: expired ones are deleted and make room; another source has its own room", () => {
    const dir = mkdtempSync(join(tmpdir(), "orbitra-identity-"));
    const identities = IdentityStore.open(dir);
    try {
      const t = 1_000_000;
      for (let i = 0; i < MAX_PENDING_PER_SOURCE; i++) assert.ok(!("limited" in identities.deviceCodes.issue("cli", "https://vault.azure.net", t, undefined, "10.0.0.1")));
      assert.ok("limited" in identities.deviceCodes.issue("cli", "https://vault.azure.net", t, undefined, "10.0.0.1"));
      assert.ok(!("limited" in identities.deviceCodes.issue("cli", "https://vault.azure.net", t, undefined, "10.0.0.2")));
      const later = t + 3600;
      assert.ok(!("limited" in identities.deviceCodes.issue("cli", "https://vault.azure.net", later, undefined, "10.0.0.1")));
      assert.equal(identities.deviceCodes.listPending(later).length, 1, "the expired rows are gone");
    } finally {
      identities.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
