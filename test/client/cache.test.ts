import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { SecretCache } from "../../src/client/cache.js";
import { getSecretsClient } from "../../src/client/get-secrets-client.js";
import { RateLimiter } from "../../src/client/rate-limiter.js";
import { SecretNotFoundError, ThrottledError, UnavailableError } from "../../src/core/errors.js";
import { FakeClock, StubBackend, stubClient } from "./fakes.js";

function fixture(options: { ttlMs?: number; maxEntries?: number; staleIfErrorMs?: number } = {}) {
  const clock = new FakeClock();
  const backend = new StubBackend();
  for (const name of ["a", "b", "c"]) backend.values.set(name, `value of ${name}`);
  const cache = new SecretCache({ ttlMs: 1000, ...options, clock });
  return { clock, backend, cache, client: stubClient(backend, { cache }) };
}

describe("client cache", () => {
  it("serves a read for ttlMs, then asks the vault again", async () => {
    const { clock, backend, client } = fixture();
    assert.ok((await client.getSecret("a"))!.equals("value of a"));
    clock.advance(999);
    assert.ok((await client.getSecret("A"))!.equals("value of a"), "names compare case-insensitively");
    assert.equal(backend.calls.length, 1);
    clock.advance(1);
    await client.getSecret("a");
    assert.equal(backend.calls.length, 2);
  });

  it("keeps at most maxEntries, dropping the least recently used", async () => {
    const { backend, cache, client } = fixture({ maxEntries: 2 });
    await client.getSecret("a");
    await client.getSecret("b");
    await client.getSecret("a"); // a is now the most recent
    await client.getSecret("c"); // evicts b
    assert.equal(cache.size, 2);
    const before = backend.calls.length;
    await client.getSecret("a");
    assert.equal(backend.calls.length, before, "a still cached");
    await client.getSecret("b");
    assert.equal(backend.calls.length, before + 1, "b was evicted");
  });

  it("serves a stale value when the vault throttles or is down, within staleIfErrorMs only", async () => {
    const { clock, backend, cache, client } = fixture({ staleIfErrorMs: 5000 });
    await client.getSecret("a");
    backend.values.set("a", "newer");
    clock.advance(2000);
    backend.beforeRead = () => {
      throw new ThrottledError("429");
    };
    assert.ok((await client.getSecret("a"))!.equals("value of a"));
    backend.beforeRead = () => {
      throw new UnavailableError("503");
    };
    assert.ok((await client.getSecret("a"))!.equals("value of a"));
    assert.equal(cache.stats.staleServed, 2);
    clock.advance(4000); // 6,000 ms after the read: past ttl + staleIfErrorMs
    await assert.rejects(client.getSecret("a"), { code: "Unavailable" });
  });

  it("does not serve stale for errors that are answers (not found, denied)", async () => {
    const { clock, backend, client } = fixture({ staleIfErrorMs: 60_000 });
    await client.getSecret("a");
    clock.advance(2000);
    backend.beforeRead = () => {
      throw new SecretNotFoundError("gone");
    };
    await assert.rejects(client.getSecret("a"), { code: "SecretNotFound" });
  });

  it("drops a name on this client's writes, updates, deletes, recover, purge and restore", async () => {
    const { backend, client } = fixture();
    const changes: [string, () => Promise<unknown>][] = [
      ["writeSecret", () => client.writeSecret("a", "written")],
      ["updateSecretProperties", () => client.updateSecretProperties("a", { enabled: true })],
      ["deleteSecret", () => client.deleteSecret("a")],
      ["recoverDeletedSecret", () => client.recoverDeletedSecret("a")],
      ["purgeDeletedSecret", () => client.purgeDeletedSecret("a")],
      ["restoreSecretBackup", () => client.restoreSecretBackup(Buffer.from("a"))],
    ];
    for (const [what, change] of changes) {
      backend.values.set("a", "before");
      await client.getSecret("a");
      await client.getSecret("a");
      const reads = backend.calls.length;
      await change();
      backend.values.set("a", "after");
      assert.ok((await client.getSecret("a"))!.equals("after"), what);
      assert.equal(backend.calls.length, reads + 1, what);
    }
  });

  it("does not store a read that was in flight while this client wrote the name", async () => {
    const { backend, client } = fixture();
    let release!: () => void;
    backend.beforeRead = () => new Promise<void>((resolve) => (release = resolve));
    const slowRead = client.getSecret("a"); // reads "value of a"
    await new Promise((resolve) => setImmediate(resolve));
    await client.writeSecret("a", "new value");
    release();
    assert.ok((await slowRead)!.equals("value of a"));
    backend.beforeRead = () => {};
    assert.ok((await client.getSecret("a"))!.equals("new value"));
  });

  it("shares one request between concurrent reads of one name", async () => {
    const { backend, client } = fixture();
    const values = await Promise.all([client.getSecret("b"), client.getSecret("b"), client.getSecret("B")]);
    assert.ok(values.every((v) => v!.equals("value of b")));
    assert.equal(backend.calls.length, 1);
  });

  it("lets getSecrets answer fresh entries without spending the rate limit", async () => {
    const { backend, client } = fixture();
    await client.getSecret("a");
    await client.getSecret("b");
    const clock = new FakeClock();
    const limiter = new RateLimiter({ ratePerSecond: 0.001, burst: 1, clock });
    await limiter.acquire(); // the bucket is now empty for ~1,000 s
    const values = await client.getSecrets(["a", "b"], { limiter });
    assert.ok(values.get("a")!.equals("value of a") && values.get("b")!.equals("value of b"));
    assert.equal(backend.calls.length, 2);
  });

  it("is opt-in through getSecretsClient, on the real local store", async () => {
    const home = mkdtempSync(join(tmpdir(), "orbitra-cache-"));
    const plain = getSecretsClient({ environment: "local", env: { ORBITRA_HOME: home }, cwd: home });
    const cached = getSecretsClient({ environment: "local", env: { ORBITRA_HOME: home }, cwd: home, cache: { ttlMs: 60_000, maxEntries: 10 } });
    try {
      assert.equal(plain.cache, undefined);
      assert.ok(cached.cache instanceof SecretCache);
      await cached.writeSecret("cached-one", "v1");
      assert.ok((await cached.getSecret("cached-one"))!.equals("v1"));
      assert.equal(cached.cache.size, 1);
      await cached.writeSecret("cached-one", "v2");
      assert.ok((await cached.getSecret("cached-one"))!.equals("v2"), "own write invalidates");
      await plain.writeSecret("cached-one", "v3"); // another writer: seen only after the ttl
      assert.ok((await cached.getSecret("cached-one"))!.equals("v2"));
    } finally {
      await plain.close();
      await cached.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
