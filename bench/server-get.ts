// GET of one secret over HTTPS on loopback, keep-alive, 10 connections: `orbitra vault serve`
// (startVaultServer, as the CLI runs it) against a bare node:https server with the same kind of
// certificate answering a fixed JSON body of the same size, in the same run. A third side runs
// the same server over an in-memory stand-in for the store, to tell the server layer's cost from
// the store's (SQLite read + AES-GCM open per GET). Each server runs in a
// child process; the load (autocannon) runs here. Rounds alternate between the two so that noise
// from other work on the machine lands on both. Reported: requests/s, p99 latency, and each
// server's CPU time per request (steadier than req/s on a shared 2-core box).
//
// The servers run from an esbuild bundle of the sources, as the shipped CLI does (tsx's dev
// transform wraps every closure in a naming helper, which costs a few µs per request);
// FROM_SOURCE=1 runs them through tsx instead.
//
//   node --import tsx bench/server-get.ts        # ROUNDS=2 DURATION=5 CONNECTIONS=10 FROM_SOURCE=
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The slice of autocannon's programmatic API used here (it ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p99: number; average: number };
  errors: number;
  non2xx: number;
  duration: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const ROUNDS = Number(process.env.ROUNDS ?? 2);
const DURATION = Number(process.env.DURATION ?? 5);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);
const WARMUP = 1;

interface Target {
  child: ChildProcess;
  url: string;
  path: string;
}

type Kind = "bare" | "orbitra" | "stub";

/** The target script to fork: a bundle beside node_modules (so its requires resolve), or the source. */
async function targetScript(): Promise<{ file: string; execArgv: string[] }> {
  const source = join(import.meta.dirname, "server-get-target.ts");
  if (process.env.FROM_SOURCE) return { file: source, execArgv: ["--import", "tsx"] };
  const { build } = await import("esbuild");
  const outfile = join(import.meta.dirname, "..", "node_modules", ".cache", "orbitra-bench", "server-get-target.mjs");
  await build({
    entryPoints: [source],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // reflect-metadata stays external with @peculiar/*: ESM hoists external imports above bundled
    // code, so a bundled polyfill would run after x509 (see src/server/peculiar-x509.ts).
    external: ["better-sqlite3", "@peculiar/*", "reflect-metadata", "hono", "@hono/*"],
    logLevel: "warning",
  });
  return { file: outfile, execArgv: [] };
}

const script = await targetScript();

function start(kind: Kind, dataDir: string): Promise<Target> {
  const child = fork(script.file, [kind, dataDir], { execArgv: script.execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve({ child, ...(m as { url: string; path: string }) }));
    child.once("exit", (code) => reject(new Error(`${kind} target exited with ${code}`)));
  });
}

function ask(target: Target, message: "start" | "stop"): Promise<{ cpuMs: number } | undefined> {
  target.child.send(message);
  if (message === "start") return Promise.resolve(undefined);
  return new Promise((resolve) => target.child.once("message", (m) => resolve(m as { cpuMs: number })));
}

const load = (target: Target, duration: number) =>
  autocannon({ url: target.url + target.path, connections: CONNECTIONS, duration, headers: { authorization: "Bearer bench" } });

interface Totals {
  requests: number;
  seconds: number;
  cpuMs: number;
  p99: number[];
  failures: number;
}

const dataDir = mkdtempSync(join(tmpdir(), "orbitra-bench-server-"));
const targets: Record<Kind, Target> = { bare: await start("bare", dataDir), orbitra: await start("orbitra", dataDir), stub: await start("stub", dataDir) };
const empty = (): Totals => ({ requests: 0, seconds: 0, cpuMs: 0, p99: [], failures: 0 });
const totals: Record<Kind, Totals> = { bare: empty(), orbitra: empty(), stub: empty() };
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of round % 2 === 0 ? (["bare", "orbitra", "stub"] as const) : (["stub", "orbitra", "bare"] as const)) {
      const target = targets[kind];
      await load(target, WARMUP); // JIT and TLS session warm-up, discarded
      await ask(target, "start");
      const result = await load(target, DURATION);
      const { cpuMs } = (await ask(target, "stop"))!;
      const t = totals[kind];
      t.requests += result.requests.total;
      t.seconds += result.duration;
      t.cpuMs += cpuMs;
      t.p99.push(result.latency.p99);
      t.failures += result.errors + result.non2xx;
    }
  }
  const line = (name: string, t: Totals) =>
    `  ${name.padEnd(16)} ${(t.requests / t.seconds).toFixed(0).padStart(7)} req/s   p99 ${Math.max(...t.p99)} ms   ` +
    `server CPU ${((t.cpuMs * 1000) / t.requests).toFixed(1).padStart(5)} µs/req   failures ${t.failures}`;
  const rps = (t: Totals) => t.requests / t.seconds;
  const cpu = (t: Totals) => t.cpuMs / t.requests;
  const { bare: b, orbitra: o, stub: st } = totals;
  console.log(
    `GET one secret, HTTPS keep-alive, ${CONNECTIONS} connections, ${ROUNDS} x ${DURATION} s per side, alternating` +
      ` (servers ${process.env.FROM_SOURCE ? "from source via tsx" : "bundled by esbuild"}):`,
  );
  console.log(line("bare node:https", b));
  console.log(line("orbitra server", o));
  console.log(line("  (stub store)", st));
  console.log(`  throughput, orbitra / bare: ${((rps(o) / rps(b)) * 100).toFixed(0)}% (target >= 70%)`);
  console.log(`  throughput, server layer alone (stub store) / bare: ${((rps(st) / rps(b)) * 100).toFixed(0)}%`);
  console.log(`  CPU per request, bare / orbitra: ${((cpu(b) / cpu(o)) * 100).toFixed(0)}%; bare / stub: ${((cpu(b) / cpu(st)) * 100).toFixed(0)}%`);
} finally {
  for (const target of Object.values(targets)) target.child.send("exit");
  rmSync(dataDir, { recursive: true, force: true });
}
