// Start-up cost of `orbitra secrets get NAME --environment local` as a whole process, against
// `node -e 0` in the same run and the same environment. Runs alternate so that machine noise
// falls on both sides alike; medians are compared (the target is <= 1.30x). stdout is a pipe, as in
// `$(orbitra secrets get NAME)`. Needs `npm run build` first: it runs the package's bin.
//
// Also reported, for context: a command that goes through commander (`secrets list`), and the
// unbundled ESM build (dist/cli/main.js) when present, to show what the bundle is worth.
//
//   node --import tsx bench/startup.ts          RUNS=50 node --import tsx bench/startup.ts
//   INSTRUCTIONS=1 node --import tsx bench/startup.ts   (also counts instructions under valgrind,
//   without V8's random hash-seed set-up: see bench/callgrind.ts; INSTRUCTION_RUNS, default 3)
//   node --import tsx bench/startup-stages.ts          (where the get's instructions go, step by step)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { countInstructions } from "./callgrind.js";
import { median } from "./median.js";

const runs = Number(process.env.RUNS ?? 30);
const root = join(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { bin: Record<string, string> };
const bin = join(root, pkg.bin.orbitra!);
const esm = join(root, "dist", "cli", "main.js");
const home = mkdtempSync(join(tmpdir(), "orbitra-bench-startup-"));
const env = { PATH: process.env.PATH, ORBITRA_HOME: home };
const VALUE = "bench-value";

const seed = spawnSync(process.execPath, [bin, "secrets", "set", "bench-secret", "-e", "local"], { env, input: VALUE });
if (seed.status !== 0) throw new Error(`seeding failed: ${seed.stderr}`);

interface Case {
  label: string;
  args: string[];
  expect?: string;
  times: number[];
}
const get = ["secrets", "get", "bench-secret", "--environment", "local"];
const cases: Case[] = [
  { label: "node -e 0", args: ["-e", "0"], times: [] },
  { label: "orbitra secrets get NAME --environment local", args: [bin, ...get], expect: VALUE, times: [] },
  { label: "orbitra secrets list -e local (commander)", args: [bin, "secrets", "list", "-e", "local"], times: [] },
];
// The floor: node:sqlite + node:crypto + open + one SELECT + one decipher, no orbitra code.
cases.push({ label: "floor: sqlite + crypto, no orbitra code", args: [join(import.meta.dirname, "startup-floor.cjs"), "bench-secret"], expect: "floor", times: [] });
// The whole command tree with no command run: what every command of the full bundle pays first.
cases.push({ label: "orbitra --help (commander, the whole tree)", args: [bin, "--help"], times: [] });
cases.push({ label: "same get, Node's compile cache instead of ours", args: [join(import.meta.dirname, "startup-compile-cache.cjs"), ...get], expect: VALUE, times: [] });
// What loading OpenSSL's side of Node costs by itself (lib/crypto.js and the internal/crypto
// modules it pulls in): most of the distance between `node -e 0` and the floor.
cases.push({ label: "node:crypto loaded, nothing else", args: ["-e", "require('node:crypto')"], times: [] });
if (existsSync(esm)) cases.push({ label: "same get, unbundled dist/cli/main.js", args: [esm, ...get], expect: VALUE, times: [] });

function time(c: Case): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, c.args, { env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${c.args.join(" ")} failed: ${result.stderr}`);
  if (c.expect !== undefined && result.stdout !== c.expect) throw new Error(`${c.label} printed the wrong value`);
  return ms;
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))]!;
};

for (let i = 0; i < 3; i++) for (const c of cases) time(c); // warm the page cache (and write the code caches)
for (let i = 0; i < runs; i++) for (const c of cases) c.times.push(time(c));
const instructionRuns = Math.max(1, Number(process.env.INSTRUCTION_RUNS ?? 3));
// Instructions do not move with the machine's load as wall times do; the hash seed's random share
// is taken out (bench/callgrind.ts), which leaves them steady to ~0.5 M.
const counted = process.env.INSTRUCTIONS
  ? cases.map((c) => median(Array.from({ length: instructionRuns }, () => countInstructions(process.execPath, c.args, env).net)))
  : undefined;
rmSync(home, { recursive: true, force: true });

const baseline = quantile(cases[0]!.times, 0.5);
const width = Math.max(...cases.map((c) => c.label.length));
console.log(`runs: ${runs} each, alternating; stdout a pipe`);
console.log(`${"".padEnd(width)}  median     p25     min   ratio (median)`);
for (const c of cases) {
  const [m, p25, min] = [quantile(c.times, 0.5), quantile(c.times, 0.25), quantile(c.times, 0)];
  console.log(
    `${c.label.padEnd(width)}  ${m.toFixed(1).padStart(6)}  ${p25.toFixed(1).padStart(6)}  ${min.toFixed(1).padStart(6)}   ${(m / baseline).toFixed(2)}x`,
  );
}
if (counted) {
  console.log(`instructions (callgrind, hash seed taken out, median of ${instructionRuns}; INSTRUCTIONS=1):`);
  for (const [i, c] of cases.entries()) console.log(`${c.label.padEnd(width)}  ${(counted[i]! / 1e6).toFixed(1).padStart(7)} M   ${(counted[i]! / counted[0]!).toFixed(2)}x`);
  // What orbitra's own code costs on top of the native work any encrypted read does.
  console.log(`get above the floor: ${((counted[1]! - counted[3]!) / 1e6).toFixed(1)} M instructions`);
}
const ratio = quantile(cases[1]!.times, 0.5) / baseline;
console.log(`secrets get ratio: ${ratio.toFixed(2)}x (target <= 1.30x) ${ratio <= 1.3 ? "OK" : "OVER"}`);
// Wall medians swing with the box's load (a busy run can put `node -e 0` itself at 60 ms); the
// instruction ratio is the one to trust when it was counted.
if (counted) {
  const countedRatio = counted[1]! / counted[0]!;
  console.log(`secrets get ratio, instructions: ${countedRatio.toFixed(2)}x (target <= 1.30x) ${countedRatio <= 1.3 ? "OK" : "OVER"}`);
}
