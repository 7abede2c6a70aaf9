// Requests over HTTPS on loopback, keep-alive, driven by wrk (apt's, in its own process): GET of
// one secret, a list page (25 of 100) and a SET (PUT, a new version), `orbitra vault serve`
// (startVaultServer, as the CLI runs it) against a bare node:https server with the same kind of
// certificate answering the orbitra side's own reply bodies (fetched from it first), in the same
// run. For GET a third side runs the same server over an in-memory stand-in for the store, to tell
// the server layer's cost from the store's. Each server runs in a child process. Rounds alternate
// between the sides so that noise from other work on the machine lands on all. Reported:
// requests/s, p99 latency, and each server's CPU time per request (steadier than req/s on a
// shared 2-core box), and the ratios orbitra / bare.
//
// The servers run from an esbuild bundle of the sources, as the shipped CLI does (tsx's dev
// transform wraps every closure in a naming helper, which costs a few µs per request);
// FROM_SOURCE=1 runs them through tsx instead.
//
//   node --import tsx bench/server-get.ts   # ROUNDS=3 DURATION=5 SCENARIOS=get:10,get:50,list:10,set:10 FROM_SOURCE=
import { execFileSync, fork, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median } from "./median.js";

/** What one wrk run reports. */
interface LoadResult {
  requests: number;
  seconds: number;
  p99Ms: number;
  failures: number;
}

function wrk(url: string, connections: number, duration: number, script: string): Promise<LoadResult> {
  const args = ["-t1", `-c${connections}`, `-d${duration}s`, "--latency", "-s", script, "-H", "Authorization: Bearer bench", url];
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`wrk exited ${code}: ${out}`));
      const requests = Number(/(\d+) requests in ([\d.]+)(m?s)/.exec(out)?.[1]);
      const time = /\d+ requests in ([\d.]+)(m?s)/.exec(out)!;
      const seconds = Number(time[1]) / (time[2] === "ms" ? 1000 : 1);
      const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(out)!;
      const p99Ms = Number(p99[1]) * (p99[2] === "us" ? 0.001 : p99[2] === "s" ? 1000 : 1);
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
      const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      const failures = non2xx + (errors ? errors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0);
      resolve({ requests, seconds, p99Ms, failures });
    });
  });
}

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const DURATION = Number(process.env.DURATION ?? 5);
const SCENARIOS = (process.env.SCENARIOS ?? "get:10,get:50,list:10,set:10").split(",").map((s) => {
  const [what, connections] = s.split(":");
  return { what: what as "get" | "list" | "set", connections: Number(connections ?? 10) };
});
const WARMUP = 1;
const API = "api-version=2025-07-01";
const PATHS = { get: `/secrets/bench-secret/?${API}`, list: `/secrets?${API}&maxresults=25`, set: `/secrets/bench-secret?${API}` };
const SET_BODY = JSON.stringify({ value: "y".repeat(32), contentType: "text/plain" });

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
    target: "node22",
    // node-forge: CommonJS that requires node builtins, which an ESM bundle cannot do.
    // reflect-metadata too: ESM hoists external imports above bundled code, and @peculiar/x509 needs it loaded first.
    external: ["@peculiar/*", "reflect-metadata", "hono", "@hono/*", "node-forge"],
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

interface Totals {
  requests: number;
  seconds: number;
  cpuMs: number;
  p99: number[];
  failures: number;
  /** Per round: requests/s and CPU µs per request, to pair each round with the bare side's. */
  rounds: { rps: number; cpuUs: number }[];
}

/** The orbitra side's reply to each scenario, for the bare side to answer byte for byte alike. */
function fetchBody(target: Target, what: "get" | "list" | "set"): Promise<string> {
  const url = new URL(target.url + PATHS[what]);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: what === "set" ? "PUT" : "GET", rejectUnauthorized: false, agent: false,
        headers: { authorization: "Bearer bench", "content-type": "application/json" } },
      (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`${what}: ${res.statusCode} ${body}`))));
      },
    );
    req.on("error", reject);
    req.end(what === "set" ? SET_BODY : undefined);
  });
}

// Fail early, and clearly, when wrk is missing (apt-get install -y wrk); `wrk -v` itself exits 1.
try {
  execFileSync("wrk", ["-v"], { stdio: "ignore" });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error("wrk is not installed: apt-get install -y wrk", { cause: error });
}
const dataDir = mkdtempSync(join(tmpdir(), "orbitra-bench-server-"));
const scripts = {
  get: join(dataDir, "get.lua"),
  list: join(dataDir, "list.lua"),
  set: join(dataDir, "set.lua"),
};
writeFileSync(scripts.get, `wrk.path = "${PATHS.get}"\n`);
writeFileSync(scripts.list, `wrk.path = "${PATHS.list}"\n`);
writeFileSync(scripts.set, `wrk.method = "PUT"\nwrk.path = "${PATHS.set}"\nwrk.body = '${SET_BODY}'\nwrk.headers["Content-Type"] = "application/json"\n`);
const targets: Record<Kind, Target> = { bare: await start("bare", dataDir), orbitra: await start("orbitra", dataDir), stub: await start("stub", dataDir) };
const bodies = { get: await fetchBody(targets.orbitra, "get"), list: await fetchBody(targets.orbitra, "list"), set: await fetchBody(targets.orbitra, "set") };
targets.bare.child.send({ bodies });
const empty = (): Totals => ({ requests: 0, seconds: 0, cpuMs: 0, p99: [], failures: 0, rounds: [] });
/**
 * The ratio of each round's pair, then their median: a round's two sides ran seconds apart, so
 * a busy spell of the box lands on both, where summed totals let one quiet round outweigh the rest.
 */
const pairedRatios = (side: Totals, bare: Totals) => ({
  throughput: median(side.rounds.map((r, i) => r.rps / bare.rounds[i]!.rps)),
  cpu: median(side.rounds.map((r, i) => bare.rounds[i]!.cpuUs / r.cpuUs)),
});
const rps = (t: Totals) => t.requests / t.seconds;
const cpu = (t: Totals) => t.cpuMs / t.requests;
const line = (name: string, t: Totals) =>
  `    ${name.padEnd(16)} ${rps(t).toFixed(0).padStart(7)} req/s   p99 ${Math.max(...t.p99).toFixed(1)} ms   ` +
  `server CPU ${((t.cpuMs * 1000) / t.requests).toFixed(1).padStart(5)} µs/req   failures ${t.failures}`;
try {
  console.log(
    `wrk -t1 in its own process, HTTPS keep-alive, ${ROUNDS} x ${DURATION} s per side, alternating` +
      ` (servers ${process.env.FROM_SOURCE ? "from source via tsx" : "bundled by esbuild"}); bare node:https answers orbitra's own bodies`,
  );
  for (const { what, connections } of SCENARIOS) {
    // The stub store only reads: it runs in the GET scenarios.
    const kinds: Kind[] = what === "get" ? ["bare", "orbitra", "stub"] : ["bare", "orbitra"];
    const totals = Object.fromEntries(kinds.map((k) => [k, empty()])) as Record<Kind, Totals>;
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of round % 2 === 0 ? kinds : [...kinds].reverse()) {
        const target = targets[kind];
        const url = target.url;
        await wrk(url, connections, WARMUP, scripts[what]); // JIT and TLS session warm-up, discarded
        await ask(target, "start");
        const result = await wrk(url, connections, DURATION, scripts[what]);
        const { cpuMs } = (await ask(target, "stop"))!;
        const t = totals[kind];
        t.requests += result.requests;
        t.seconds += result.seconds;
        t.cpuMs += cpuMs;
        t.p99.push(result.p99Ms);
        t.rounds.push({ rps: result.requests / result.seconds, cpuUs: (cpuMs * 1000) / result.requests });
        t.failures += result.failures;
      }
    }
    const { bare: b, orbitra: o } = totals;
    console.log(`  ${what.toUpperCase()} ${PATHS[what].split("?")[0]}, ${connections} connections (reply ${Buffer.byteLength(bodies[what])} B):`);
    console.log(line("bare node:https", b));
    console.log(line("orbitra server", o));
    if (totals.stub) console.log(line("  (stub store)", totals.stub));
    console.log(
      `    orbitra / bare: throughput ${(rps(o) / rps(b)).toFixed(2)}, CPU per request bare / orbitra ${(cpu(b) / cpu(o)).toFixed(2)}` +
        (totals.stub ? `; stub / bare throughput ${(rps(totals.stub) / rps(b)).toFixed(2)}` : ""),
    );
    const paired = pairedRatios(o, b);
    console.log(`    paired by round (median of ${ROUNDS}): throughput ${paired.throughput.toFixed(2)}, CPU per request bare / orbitra ${paired.cpu.toFixed(2)}`);
  }
} finally {
  for (const target of Object.values(targets)) target.child.send("exit");
  rmSync(dataDir, { recursive: true, force: true });
}
