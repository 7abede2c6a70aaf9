import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { BulkOperationError } from "../../src/client/bulk-error.js";
import { getSecrets, limiterFor } from "../../src/client/bulk.js";
import { getSecretsClient } from "../../src/client/get-secrets-client.js";
import { KEY_VAULT_RATE_LIMIT, KEY_VAULT_WINDOW, RateLimiter, WindowRateLimiter } from "../../src/client/rate-limiter.js";
import { PermissionDeniedError, ThrottledError } from "../../src/core/errors.js";
import { SecretStr } from "../../src/core/secret-str.js";
import { drive, FakeClock, maxInWindow, StubBackend, stubClient } from "./fakes.js";

/** Key Vault's own budget on the fake clock: a clock alone no longer makes a private limiter (bulk.ts). */
const kvLimiter = (clock: FakeClock) => new RateLimiter({ ...KEY_VAULT_RATE_LIMIT, clock });

function fixture(count: number, latencyMs = 20) {
  const clock = new FakeClock();
  const backend = new StubBackend(clock);
  backend.latencyMs = latencyMs;
  const names = Array.from({ length: count }, (_, i) => `s-${i}`);
  for (const name of names) backend.values.set(name, `value of ${name}`);
  return { clock, backend, names, client: stubClient(backend) };
}

describe("bulk: which limiter", () => {
  it("a clock alone never swaps the process-wide limiter for a private one", () => {
    const { clock, client } = fixture(1);
    const shared = limiterFor(client);
    assert.ok(shared);
    assert.equal(limiterFor(client, { clock }), shared);
    assert.notEqual(limiterFor(client, { clock, burst: 5 }), shared, "ratePerSecond or burst do make one");
  });
});

describe("rate limiter", () => {
  it("grants a burst at once, then one slot per interval, without serialising waiters", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 3, clock });
    const granted: number[] = [];
    const all = Promise.all(Array.from({ length: 6 }, () => limiter.acquire().then(() => granted.push(clock.now()))));
    await drive(clock, all);
    assert.deepEqual(granted, [0, 0, 0, 100, 200, 300]);
  });

  it("pause holds callers that already reserved a slot, and restarts with an empty bucket", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 2, clock });
    const granted: number[] = [];
    await limiter.acquire();
    await limiter.acquire();
    const waiting = Promise.all([limiter.acquire(), limiter.acquire()].map((p) => p.then(() => granted.push(clock.now()))));
    limiter.pause(1000);
    await drive(clock, waiting);
    assert.ok(granted.every((t) => t >= 1000), "nothing granted during the pause");
    assert.deepEqual(granted, [1000, 1100]);
  });

  it("defaults stay under Key Vault's 4,000 per 10 s with a margin (burst + 10 s of refill)", () => {
    const worst = KEY_VAULT_RATE_LIMIT.burst + KEY_VAULT_RATE_LIMIT.ratePerSecond * 10;
    assert.ok(worst <= 3500, `${worst}`);
    assert.ok(worst / KEY_VAULT_RATE_LIMIT.createWeight < 300);
  });
});

describe("window rate limiter (Key Vault's own count: at most N in any trailing window)", () => {
  it("grants the whole budget at once, then each unit again one window after it was spent", async () => {
    const clock = new FakeClock();
    const limiter = new WindowRateLimiter({ limit: 3, windowMs: 1000, clock });
    const granted: number[] = [];
    const all = Promise.all(Array.from({ length: 7 }, () => limiter.acquire().then(() => granted.push(clock.now()))));
    await drive(clock, all);
    assert.deepEqual(granted, [0, 0, 0, 1000, 1000, 1000, 2000]);
    assert.ok(maxInWindow(granted, 999) <= 3);
  });

  it("reads 10,000 secrets within Key Vault's window, in ~2 windows, never over 4,000 in any 10 s", async () => {
    const { clock, backend, names, client } = fixture(10_000);
    const limiter = new WindowRateLimiter({ ...KEY_VAULT_WINDOW, clock });
    await drive(clock, getSecrets(client, names, { clock, limiter }));
    assert.ok(maxInWindow(backend.calls.map(([at]) => at), 9_999) <= 4000);
    // The last 2,000 go out two windows in and take what 64 in flight need for them at 20 ms each (640 ms).
    const floor = 2 * KEY_VAULT_WINDOW.windowMs + Math.ceil(2000 / 64) * 20;
    assert.ok(clock.now() >= 2 * KEY_VAULT_WINDOW.windowMs && clock.now() <= floor + 20, `${clock.now()}`);
  });

  it("weighs: a create of 4,000 / 300 units leaves room for the rest of the budget only", async () => {
    const clock = new FakeClock();
    const limiter = new WindowRateLimiter({ limit: 10, windowMs: 1000, clock });
    await limiter.acquire(7);
    const granted: number[] = [];
    await drive(clock, Promise.all([limiter.acquire(3), limiter.acquire(1)].map((p) => p.then(() => granted.push(clock.now())))));
    assert.deepEqual(granted, [0, 1000]);
  });

  it("frees the window at fractional times too (performance.now is fractional)", { timeout: 5000 }, async () => {
    const clock = new FakeClock();
    clock.advance(0.1); // 0.1 + 100 - 100 < 0.1 in floating point: a window test by subtraction never frees it
    const limiter = new WindowRateLimiter({ limit: 1, windowMs: 100, clock });
    const granted: number[] = [];
    await drive(clock, Promise.all([limiter.acquire(), limiter.acquire()].map((p) => p.then(() => granted.push(clock.now())))));
    assert.deepEqual(granted, [0.1, 100.1]);
  });

  it("pause (a 429's Retry-After) holds every grant until it has passed", async () => {
    const clock = new FakeClock();
    const limiter = new WindowRateLimiter({ limit: 100, windowMs: 1000, clock });
    limiter.pause(5000);
    const granted: number[] = [];
    await drive(clock, Promise.all([limiter.acquire(), limiter.acquire()].map((p) => p.then(() => granted.push(clock.now())))));
    assert.deepEqual(granted, [5000, 5000]);
  });
});

describe("getSecrets", () => {
  it("reads every value, keyed by the names as given, in order", async () => {
    const { clock, backend, names, client } = fixture(50);
    backend.values.set("empty", "");
    const result = await drive(clock, getSecrets(client, [...names, "empty", "S-0"], { clock, limiter: kvLimiter(clock) }));
    assert.deepEqual([...result.keys()], [...names, "empty", "S-0"]);
    assert.ok(names.every((name) => result.get(name)!.equals(`value of ${name}`)));
    assert.equal(result.get("empty"), null);
    assert.ok(result.get("S-0")!.equals("value of s-0"));
    assert.equal(backend.calls.length, 51, "S-0 and s-0 are one secret, read once");
  });

  it("never exceeds the rate: any 1 s window holds at most burst + rate requests", async () => {
    const { clock, backend, names, client } = fixture(100);
    await drive(clock, getSecrets(client, names, { clock, ratePerSecond: 10, burst: 5, concurrency: 16 }));
    const times = backend.calls.map(([t]) => t);
    assert.equal(times.length, 100);
    assert.ok(maxInWindow(times, 1000) <= 15, `max ${maxInWindow(times, 1000)} in 1 s`);
    assert.ok(maxInWindow(times, 10_000) <= 5 + 100, `max ${maxInWindow(times, 10_000)} in 10 s`);
    assert.ok(clock.now() >= 9_500 && clock.now() < 9_600, `took ${clock.now()} ms`);
  });

  it("with the defaults, 3,000 reads stay under 4,000 per 10 s and the first 1,000 are not serialised", async () => {
    const { clock, backend, names, client } = fixture(3000);
    let thousandAt = -1;
    await drive(
      clock,
      getSecrets(client, names, { clock, limiter: kvLimiter(clock), onProgress: (done) => void (done === 1000 && (thousandAt = clock.now())) }),
    );
    const times = backend.calls.map(([t]) => t);
    assert.ok(maxInWindow(times, 10_000) <= 3500, `max ${maxInWindow(times, 10_000)} in 10 s`);
    // 1,000 reads at 64 in flight and 20 ms each: ~16 rounds, about 320 ms (a serial loop: 20 s).
    assert.ok(thousandAt > 0 && thousandAt <= 400, `1,000 reads took ${thousandAt} ms`);
  });

  it("honours Retry-After: the whole limiter pauses, then the throttled name is retried", async () => {
    const { clock, backend, names, client } = fixture(40);
    let throttledAt = -1;
    backend.beforeRead = (name, index) => {
      if (index === 10) {
        throttledAt = clock.now();
        throw new ThrottledError("429", { retryAfterMs: 3000 });
      }
    };
    const result = await drive(clock, getSecrets(client, names, { clock, ratePerSecond: 20, burst: 5, concurrency: 4 }));
    assert.equal(result.size, 40);
    const throttledName = backend.calls[10]![1];
    const retries = backend.calls.filter(([, n]) => n === throttledName);
    assert.equal(retries.length, 2);
    assert.ok(retries[1]![0] >= throttledAt + 3000, "retried after Retry-After");
    const during = backend.calls.filter(([t]) => t > throttledAt && t < throttledAt + 3000);
    assert.equal(during.length, 0, "no request went out while the vault asked us to wait");
  });

  it("backs off exponentially from 1 s without Retry-After, and gives up after maxRetries listing the name", async () => {
    const { clock, backend, client } = fixture(3, 0);
    backend.beforeRead = (name) => {
      if (name === "s-1") throw new ThrottledError("429");
    };
    const run = getSecrets(client, ["s-0", "s-1", "s-2"], { clock, random: () => 0, maxRetries: 3, limiter: null });
    await assert.rejects(drive(clock, run), (error: BulkOperationError) => {
      assert.ok(error instanceof BulkOperationError);
      assert.equal(error.code, "Throttled");
      assert.deepEqual(error.failures.map((f) => [f.name, f.code]), [["s-1", "Throttled"]]);
      return true;
    });
    const attempts = backend.calls.filter(([, n]) => n === "s-1").map(([t]) => t);
    assert.deepEqual(attempts, [0, 1000, 3000, 7000]);
  });

  it("lists every failed name at once; missing: skip leaves missing names out", async () => {
    const { clock, backend, client } = fixture(3, 0);
    backend.beforeRead = (name) => {
      if (name === "s-2") throw new PermissionDeniedError("denied", { secretName: name });
    };
    await assert.rejects(drive(clock, getSecrets(client, ["s-0", "nope-1", "s-2", "nope-2"], { clock, limiter: kvLimiter(clock) })), (error: BulkOperationError) => {
      assert.deepEqual(
        error.failures.map((f) => [f.name, f.code]),
        [
          ["nope-1", "SecretNotFound"],
          ["s-2", "PermissionDenied"],
          ["nope-2", "SecretNotFound"],
        ],
      );
      assert.equal(error.code, "SecretNotFound");
      assert.match(error.message, /3 of 4 secrets: nope-1 \(SecretNotFound\), s-2 \(PermissionDenied\), nope-2/);
      return true;
    });
    backend.beforeRead = () => {};
    const result = await drive(clock, getSecrets(client, ["s-0", "nope-1"], { clock, limiter: kvLimiter(clock), missing: "skip" }));
    assert.deepEqual([...result.keys()], ["s-0"]);
  });

  it("refuses bad names before any request, naming them all", async () => {
    const { backend, client } = fixture(1, 0);
    await assert.rejects(getSecrets(client, ["ok", "bad_name", "also bad"]), (error: Error & { code: string }) => {
      assert.equal(error.code, "InvalidName");
      assert.match(error.message, /2 invalid secret names: 'bad_name', 'also bad'/);
      return true;
    });
    assert.equal(backend.calls.length, 0);
  });

  it("reports progress from (0, total) to (total, total)", async () => {
    const { clock, names, client } = fixture(10);
    const seen: [number, number][] = [];
    await drive(clock, client.getSecrets(names, { clock, limiter: kvLimiter(clock), onProgress: (d, t) => seen.push([d, t]) }));
    assert.deepEqual(seen[0], [0, 10]);
    assert.deepEqual(seen.at(-1), [10, 10]);
    assert.ok(seen.every(([d], i) => i === 0 || d === seen[i - 1]![0] + 1));
  });

  it("stops on abort: rejects with the reason and sends nothing more", async () => {
    const { clock, backend, names, client } = fixture(100);
    const controller = new AbortController();
    const run = getSecrets(client, names, {
      clock, limiter: kvLimiter(clock),
      concurrency: 4,
      signal: controller.signal,
      onProgress: (done) => done === 10 && controller.abort(new Error("stop")),
    });
    await assert.rejects(drive(clock, run), /stop/);
    const sent = backend.calls.length;
    assert.ok(sent < 20, `${sent} sent`);
    clock.advance(10_000);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(backend.calls.length, sent);
  });

  it("reads the real local store: values byte for byte, writeSecrets and getSecrets as client methods", async () => {
    const home = mkdtempSync(join(tmpdir(), "orbitra-bulk-"));
    const client = getSecretsClient({ environment: "local", env: { ORBITRA_HOME: home }, cwd: home });
    try {
      const entries = Array.from({ length: 40 }, (_, i): [string, string] => [`bulk-${i}`, `v-${i} \n\r\n $'"\\ ${"é😀".repeat(i % 3)}`]);
      entries.push(["bulk-empty", ""]);
      const written = await client.writeSecrets(entries);
      assert.equal(written.size, 41);
      const read = await client.getSecrets([...entries.map(([n]) => n), "bulk-missing"], { missing: "skip" });
      assert.equal(read.size, 41);
      assert.ok(entries.every(([name, value]) => (value === "" ? read.get(name) === null : read.get(name)!.equals(value))));
      assert.ok(read.get("bulk-0") instanceof SecretStr);
      await assert.rejects(client.getSecrets(["bulk-missing"]), { code: "SecretNotFound" });
    } finally {
      await client.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
