// Start-up cost of `orbitra secrets get NAME --environment local` as a whole process, against
// `node -e 0` in the same run and the same environment. Runs alternate so that machine noise
// falls on both sides alike; medians are compared. Needs `npm run build` first (uses dist/bin).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const runs = Number(process.env.RUNS ?? 30);
const home = mkdtempSync(join(tmpdir(), "orbitra-bench-startup-"));
const env = { ...process.env, ORBITRA_HOME: home };
const cli = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..", "dist", "bin", "orbitra.cjs");

const seed = spawnSync(process.execPath, [cli, "secrets", "set", "bench-secret", "-e", "local"], { env, input: "bench-value" });
if (seed.status !== 0) throw new Error(`seeding failed: ${seed.stderr}`);

function time(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr}`);
  return ms;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

const baseline: number[] = [];
const orbitra: number[] = [];
for (let i = 0; i < 3; i++) {
  time(["-e", "0"]);
  time([cli, "secrets", "get", "bench-secret", "--environment", "local"]);
}
for (let i = 0; i < runs; i++) {
  baseline.push(time(["-e", "0"]));
  orbitra.push(time([cli, "secrets", "get", "bench-secret", "--environment", "local"]));
}
rmSync(home, { recursive: true, force: true });

const b = median(baseline);
const o = median(orbitra);
console.log(`runs: ${runs} each, alternating`);
console.log(`node -e 0                                   median ${b.toFixed(1)} ms`);
console.log(`orbitra secrets get NAME --environment local  median ${o.toFixed(1)} ms`);
console.log(`ratio: ${(o / b).toFixed(2)}x (target <= 1.30x)`);
