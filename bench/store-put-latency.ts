// How long each new version waits, with SQLite's own checkpoints on the writing thread against
// the checkpoint worker (src/store/background-checkpoint.ts): per-call wall time of setSecret on a
// random existing name, on copies of the 1k and 1M store-scale fixtures (migrated on open), the
// four vaults alternating round by round. A checkpoint on the writer's thread is a stall of every
// call behind it (in the server: of every request), which the tail shows and a mean hides.
//
//   node --import tsx bench/store-put-latency.ts   (FIXTURES=/tmp/orbitra-scale RUN=$FIXTURES/run ROUNDS=5 PUTS=4000;
//                                                   the fixtures are store-scale.ts's, build them there first)
import { join } from "node:path";
import { LocalVault } from "../src/store/local-vault.js";
import { copyVault, FIXTURES, RUN } from "./fixture-copies.js";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const PUTS = Number(process.env.PUTS ?? 4000);
/** After each round, so that a checkpoint still under way on the worker lands in no other vault's round. */
const SETTLE_MS = 150;
const VALUE = "x".repeat(64);

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

const cases = ["sqlite", "worker"].flatMap((mode) =>
  [1000, 1000000].map((size) => {
    const path = copyVault(join(FIXTURES, String(size)), join(RUN, `put-latency-${mode}-${size}`));
    const vault = LocalVault.open({ path, env: {}, backgroundCheckpoint: mode === "worker" });
    return { mode, size, vault, micros: [] as number[] };
  }),
);
for (let round = -1; round < ROUNDS; round++) {
  for (const c of cases) {
    for (let i = 0; i < PUTS; i++) {
      const name = `secret-${Math.floor(Math.random() * c.size)}`;
      const started = process.hrtime.bigint();
      c.vault.setSecret(name, VALUE);
      if (round >= 0) c.micros.push(Number(process.hrtime.bigint() - started) / 1e3); // round -1 warms the caches
    }
    pause(SETTLE_MS);
  }
}
for (const c of cases) c.vault.close();

const at = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
console.log(`new versions, ${ROUNDS} x ${PUTS} per vault: per-call wall time`);
for (const c of cases) {
  const sorted = c.micros.sort((a, b) => a - b);
  const total = sorted.reduce((sum, x) => sum + x, 0) / 1e6;
  console.log(
    `${c.mode.padEnd(7)} ${String(c.size).padEnd(8)} p50 ${at(sorted, 0.5).toFixed(0)} µs   p99 ${at(sorted, 0.99).toFixed(0)} µs   ` +
      `p99.9 ${at(sorted, 0.999).toFixed(0)} µs   max ${(sorted.at(-1)! / 1000).toFixed(1)} ms   all ${total.toFixed(2)} s`,
  );
}
