import type { SecretsBackend } from "../../src/backends/backend.js";
import type { Clock } from "../../src/client/clock.js";
import { OrbitraSecretsClient, type OrbitraSecretsClientOptions } from "../../src/client/secrets-client.js";
import { SecretNotFoundError } from "../../src/core/errors.js";
import { SecretStr } from "../../src/core/secret-str.js";
import type { DeletedSecretProperties, SecretBundle, SecretProperties } from "../../src/core/types.js";

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/** A clock that only moves when the test says so; sleeps are timers on it. */
export class FakeClock implements Clock {
  #now = 0;
  #seq = 0;
  #timers: Timer[] = [];

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer: Timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, resolve };
      this.#timers.push(timer);
      signal?.addEventListener(
        "abort",
        () => {
          this.#timers = this.#timers.filter((t) => t !== timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** Moves the time forward by `ms`, firing the timers due on the way. */
  advance(ms: number): void {
    this.#now += ms;
    this.#fireDue();
  }

  /** Jumps to the earliest timer and fires it (and any due at the same time); false when none. */
  advanceToNext(): boolean {
    if (this.#timers.length === 0) return false;
    this.#now = Math.max(this.#now, Math.min(...this.#timers.map((t) => t.at)));
    this.#fireDue();
    return true;
  }

  #fireDue(): void {
    const due = this.#timers.filter((t) => t.at <= this.#now).sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.#timers = this.#timers.filter((t) => t.at > this.#now);
    for (const t of due) t.resolve();
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs `promise` to completion on the fake clock: let all ready work run, then jump to the next timer. */
export async function drive<T>(clock: FakeClock, promise: Promise<T>): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let steps = 0; !settled; steps++) {
    await tick();
    if (settled) break;
    if (!clock.advanceToNext()) {
      await tick();
      if (!settled && steps > 1_000_000) throw new Error("drive: stuck");
    }
  }
  return promise;
}

/** A backend whose reads are scripted: values by name, latency on the fake clock, and a hook per call. */
export class StubBackend implements SecretsBackend {
  readonly vaultUrl = "https://stub.example";
  readonly values = new Map<string, string>();
  /** [time, name] of every getSecret call, when it reached the "vault". */
  readonly calls: [number, string][] = [];
  writes = 0;
  latencyMs = 0;
  /** Runs first on every read; throw from it to fail the call. */
  beforeRead: (name: string, callIndex: number) => void | Promise<void> = () => {};
  readonly #clock: FakeClock | undefined;

  constructor(clock?: FakeClock) {
    this.#clock = clock;
  }

  async getSecret(name: string, version?: string): Promise<SecretBundle> {
    this.calls.push([this.#clock?.now() ?? 0, name]);
    const value = this.values.get(name.toLowerCase()); // the value as of the request's arrival
    await this.beforeRead(name, this.calls.length - 1);
    if (this.latencyMs > 0 && this.#clock) await this.#clock.sleep(this.latencyMs);
    if (value === undefined) throw new SecretNotFoundError(`Secret ${name} not found.`, { secretName: name });
    return { properties: props(name, version), value: value === "" ? null : new SecretStr(value) };
  }

  async setSecret(name: string, value: SecretStr): Promise<SecretProperties> {
    this.writes++;
    this.values.set(name.toLowerCase(), value.reveal());
    return props(name);
  }

  async updateSecretProperties(name: string): Promise<SecretProperties> {
    return props(name);
  }

  async deleteSecret(name: string): Promise<DeletedSecretProperties> {
    this.values.delete(name.toLowerCase());
    return { ...props(name), recoveryId: "x", deletedOn: new Date(0), scheduledPurgeDate: new Date(0) };
  }

  async recoverDeletedSecret(name: string): Promise<SecretProperties> {
    return props(name);
  }

  async purgeDeletedSecret(): Promise<void> {}

  async restoreSecretBackup(backup: Uint8Array): Promise<SecretProperties> {
    return props(Buffer.from(backup).toString("utf8"));
  }

  async backupSecret(name: string): Promise<Uint8Array> {
    return Buffer.from(name);
  }

  async getDeletedSecret(): Promise<DeletedSecretProperties> {
    throw new SecretNotFoundError("none");
  }

  async *listSecrets(): AsyncIterable<SecretProperties> {}
  async *listSecretVersions(): AsyncIterable<SecretProperties> {}
  async *listDeletedSecrets(): AsyncIterable<DeletedSecretProperties> {}
  async close(): Promise<void> {}
}

function props(name: string, version = "0".repeat(32)): SecretProperties {
  const now = new Date(0);
  return { name, version, id: `https://stub.example/secrets/${name}/${version}`, vaultUrl: "https://stub.example", enabled: true, createdOn: now, updatedOn: now, tags: {} };
}

/** A client over the stub, aimed at a non-local target so that the rate limiter applies. */
export function stubClient(backend: StubBackend, options: OrbitraSecretsClientOptions = {}): OrbitraSecretsClient {
  return new OrbitraSecretsClient({ kind: "server", environment: "test", vaultUrl: backend.vaultUrl }, async () => backend, options);
}

/** The largest number of `times` inside any closed window [t, t + windowMs]. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! > windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}
