// The store at scale: random getSecret and a new version of a random secret on vaults of 1k, 100k
// and 1M secrets, each also with 10% of its secrets at 20 versions, as ratios against the 1k vault
// in the same run (rounds alternate between the vaults, medians compared); and listing every name,
// time and peak memory (a child process's maxRSS), against a child that lists an empty vault.
//
//   node --import tsx bench/store-scale.ts     (SIZES=1000,100000,1000000 OPS=4000 ROUNDS=5
//                                               FIXTURES=/tmp/orbitra-scale RUN=$FIXTURES/run
//                                               PARTS=ops,list,cli SETTLE_MS=200 CHECKPOINT=worker;
//                                               CLI=1 adds cli: `secrets list` via dist/bin, build first)
//
// CHECKPOINT=sqlite opens the vaults with backgroundCheckpoint false (SQLite's own checkpoints on
// the writing thread), for a before/after on the same code. RUN is where the fresh copies go.
//
// The vaults are built once under FIXTURES and reused by later runs (a vault file is portable with
// its key): straight SQL inserts in large transactions, values sealed as the store seals them, so
// a 1M vault takes a minute rather than the hour that one setSecret per transaction would. A
// fixture made under an older schema is migrated by the first open, as a user's vault would be.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { randomBytes } from "node:crypto";
import { seal } from "../src/store/cipher.js";
import { LocalVault } from "../src/store/local-vault.js";
import { migrationsUpTo } from "../src/store/schema.js";
import { copyVault, FIXTURES, RUN } from "./fixture-copies.js";
import { median } from "./median.js";

const SIZES = (process.env.SIZES ?? "1000,100000,1000000").split(",").map(Number);
const OPS = Number(process.env.OPS ?? 4000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
/** A pause after each round's writes, so that a checkpoint still under way on the worker lands in no other measurement. */
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 200);
const BACKGROUND_CHECKPOINT = process.env.CHECKPOINT !== "sqlite";
const VALUE = randomBytes(48).toString("base64"); // a typical connection-string-sized secret
const EXTRA_VERSIONS = 19; // 10% of the secrets get 19 more: 20 versions each

interface Fixture {
  size: number;
  versioned: boolean;
  dir: string;
  path: string;
}

const fixtureOf = (size: number, versioned: boolean, root = FIXTURES): Fixture => {
  const dir = join(root, `${size}${versioned ? "-v20" : ""}`);
  return { size, versioned, dir, path: join(dir, "vault.db") };
};

/** A fresh copy to measure on: the new versions a run writes must not grow the next run's vault. */
function workCopy(f: Fixture): Fixture {
  const copy = fixtureOf(f.size, f.versioned, RUN);
  copyVault(f.dir, copy.dir);
  return copy;
}

/** Builds the vault unless a finished one is there (a `done` file marks it). */
function build(f: Fixture): void {
  if (existsSync(join(f.dir, "done"))) return;
  rmSync(f.dir, { recursive: true, force: true });
  mkdirSync(f.dir, { recursive: true });
  const started = performance.now();
  // Schema 3, the one release 4fd9ce7 wrote: each run's first open migrates its copy, so the
  // figures include what a user's existing vault becomes, and the run reports the migration's time.
  const key = randomBytes(32);
  writeFileSync(join(f.dir, "vault.key"), key, { mode: 0o600 });
  const db = new DatabaseSync(f.path);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF");
  for (const ddl of migrationsUpTo(3)) db.exec(ddl);
  db.exec("PRAGMA user_version = 3");
  db.prepare("INSERT INTO meta (key, value) VALUES ('key_check', ?)").run(seal(key, Buffer.from("orbitra"), "key_check"));
  const insertSecret = db.prepare("INSERT INTO secrets (name_key, name) VALUES (?, ?)");
  const insertVersion = db.prepare(
    "INSERT INTO versions (secret_id, version, value, enabled, created, updated) VALUES (?, ?, ?, 1, ?, ?)",
  );
  const now = Math.floor(Date.now() / 1000);
  const addVersion = (id: number, name: string) => {
    const version = randomBytes(16).toString("hex");
    insertVersion.run(id, version, seal(key, Buffer.from(VALUE), `${name}/${version}`), now, now);
  };
  const batch = (from: number, to: number, fn: (i: number) => void) => {
    for (let start = from; start < to; start += 20_000) {
      db.exec("BEGIN");
      for (let i = start; i < Math.min(to, start + 20_000); i++) fn(i);
      db.exec("COMMIT");
    }
  };
  batch(0, f.size, (i) => {
    const name = `secret-${i}`;
    addVersion(Number(insertSecret.run(name, name).lastInsertRowid), name);
  });
  // Later versions come in rounds over the whole vault, as they would over time, not in runs.
  if (f.versioned) for (let r = 0; r < EXTRA_VERSIONS; r++) batch(0, f.size / 10, (i) => addVersion(i * 10 + 1, `secret-${i * 10}`));
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db.close();
  writeFileSync(join(f.dir, "done"), "");
  console.log(`  built ${f.dir} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}


type Rate = { wall: number; cpu: number; thread: number };
const KINDS = ["wall", "cpu", "thread"] as const;
// process.threadCpuUsage is Node 23.9+; the bench runs on the pinned Node 24, the fallback is for older ones.
const threadCpu = (previous?: NodeJS.CpuUsage): NodeJS.CpuUsage =>
  (process as { threadCpuUsage?: (p?: NodeJS.CpuUsage) => NodeJS.CpuUsage }).threadCpuUsage?.(previous) ?? process.cpuUsage(previous);

/**
 * Operations per second of wall time, of this process's CPU time (every thread: the checkpoint
 * worker's too) and of this thread's CPU time (the writer's own: what the checkpoint worker took
 * off it). The CPU figures are the steadier ones on a shared box (time spent descheduled is not in
 * them); the wall figure also holds what they miss, waits for fsync at checkpoints.
 */
function opsPerSecond(count: number, op: (i: number) => void): Rate {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const thread = threadCpu();
  for (let i = 0; i < count; i++) op(i);
  const used = process.cpuUsage(cpu);
  const own = threadCpu(thread);
  return {
    wall: count / (Number(process.hrtime.bigint() - start) / 1e9),
    cpu: count / ((used.user + used.system) / 1e6),
    thread: count / ((own.user + own.system) / 1e6),
  };
}

/** Blocks this thread (the measuring loop is synchronous: a timer would never fire in it). */
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Child: gets and new versions on every fixture, rounds alternating between them; every round's rates. */
function measureOps(fixtures: Fixture[]): void {
  const opened = performance.now();
  const vaults = fixtures.map((f) => LocalVault.open({ path: f.path, env: {}, backgroundCheckpoint: BACKGROUND_CHECKPOINT }));
  const openMs = performance.now() - opened;
  const gets: Rate[][] = [];
  const sets: Rate[][] = [];
  for (let round = -1; round < ROUNDS; round++) {
    const rates = fixtures.map((f, v) => {
      const vault = vaults[v]!;
      const names = Array.from({ length: OPS * 4 }, () => `secret-${Math.floor(Math.random() * f.size)}`);
      const get = opsPerSecond(names.length, (i) => void vault.getSecret(names[i]!).value.reveal());
      const set = opsPerSecond(OPS, (i) => void vault.setSecret(names[i]!, VALUE));
      pause(SETTLE_MS);
      return { get, set };
    });
    if (round < 0) continue; // round -1 warms the caches
    gets.push(rates.map((r) => r.get));
    sets.push(rates.map((r) => r.set));
  }
  for (const vault of vaults) vault.close();
  process.stdout.write(JSON.stringify({ gets, sets, openMs }));
}

/** Child: every name through the store's pages (as LocalBackend reads them), nothing kept. */
function listStore(path: string | undefined): void {
  const started = performance.now();
  let count = 0;
  if (path) {
    const vault = LocalVault.open({ path, env: {}, create: false });
    let after: string | undefined;
    do {
      const page = vault.listSecrets({ limit: 500, ...(after ? { after } : {}) });
      count += page.items.length;
      after = page.next;
    } while (after);
    vault.close();
  }
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ count, ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ out: string; firstLineMs: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstLineMs = 0;
    const child = spawn(args[0]!, args.slice(1), { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => {
      if (!firstLineMs) firstLineMs = performance.now() - started;
      if (chunks.length < 4) chunks.push(chunk);
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve({ out: Buffer.concat(chunks).toString(), firstLineMs, ms });
      else reject(new Error(`${args.join(" ")} exited ${code}`));
    });
  });
}

const self = [process.execPath, "--import", "tsx", import.meta.filename];

async function main(): Promise<void> {
  const fixtures = SIZES.flatMap((size) => [fixtureOf(size, false), fixtureOf(size, true)]);
  for (const f of fixtures) build(f);

  const copies = fixtures.map(workCopy);
  // The first open migrates a copy (schema 3 -> current): timed here, so no measurement below pays it.
  for (const f of copies) {
    const started = performance.now();
    LocalVault.open({ path: f.path, env: {} }).close();
    console.log(`  opened ${f.dir} (migrations included) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  if (process.env.PARTS?.includes("ops") ?? true) await reportOps(fixtures); // on the copies: the child opens them by size
  if (process.env.PARTS?.includes("list") ?? true) await reportList(copies);
  if (process.env.CLI === "1" || process.env.PARTS?.includes("cli")) await listCli(copies.filter((f) => !f.versioned));
}

/**
 * The ratio of each vault to the first one is taken per round (both measured within seconds of
 * each other), and the median of those per-round ratios is reported: the box's load drifts over a
 * run, and a ratio of two medians taken from different rounds carries that drift into it.
 */
async function reportOps(fixtures: Fixture[]): Promise<void> {
  const ops = JSON.parse((await run([...self, "ops", ...fixtures.map((f) => `${f.size}:${f.versioned ? 1 : 0}`)])).out) as {
    gets: Rate[][];
    sets: Rate[][];
    openMs: number;
  };
  console.log(`\nrandom getSecret and setSecret (a new version of a random secret), ${ROUNDS} rounds, checkpoints: ${BACKGROUND_CHECKPOINT ? "worker" : "sqlite"};`);
  console.log("ops per second (median) of wall / process CPU / this thread's CPU time, and the median of the per-round");
  console.log("ratios to the first vault, in the same order");
  console.log("vault                           get: wall / cpu / thread        vs 1k               new version: wall / cpu / thread  vs 1k");
  const cell = (rounds: Rate[][], i: number) => {
    const rates = KINDS.map((k) => Math.round(median(rounds.map((r) => r[i]![k]))).toString().padStart(6)).join(" /");
    const ratios = KINDS.map((k) => `${median(rounds.map((r) => r[i]![k] / r[0]![k])).toFixed(2)}x`).join(" ");
    return `${rates}   ${ratios}`;
  };
  fixtures.forEach((f, i) => {
    const label = `${f.size.toLocaleString("en-US")}${f.versioned ? ", 10% at 20 versions" : ""}`.padEnd(30);
    console.log(`${label} ${cell(ops.gets, i)}   ${cell(ops.sets, i)}`);
  });
  console.log(`(opening all ${fixtures.length} vaults, migrations included: ${ops.openMs.toFixed(0)} ms)`);
}

async function reportList(copies: Fixture[]): Promise<void> {
  console.log("\nlisting every name, a child process each: time, peak RSS, RSS over an empty run");
  const empty = JSON.parse((await run([...self, "list"])).out) as { maxRssMb: number };
  console.log(`  empty run (no vault)         ${empty.maxRssMb.toFixed(0)} MB`);
  for (const f of copies) {
    const r = JSON.parse((await run([...self, "list", f.path])).out) as { count: number; ms: number; maxRssMb: number };
    const label = `${f.size}${f.versioned ? " v20" : ""}`.padEnd(12);
    console.log(`  store pages, ${label} ${(r.ms / 1000).toFixed(2)} s  ${r.maxRssMb.toFixed(0)} MB  +${(r.maxRssMb - empty.maxRssMb).toFixed(0)} MB  (${r.count} names)`);
  }
}

/** `orbitra secrets list` through the shipped bin: first line, whole run, peak RSS (GNU time). */
async function listCli(fixtures: Fixture[]): Promise<void> {
  const bin = join(import.meta.dirname, "..", "dist", "bin", "orbitra.cjs");
  const home = join(FIXTURES, "home");
  mkdirSync(home, { recursive: true });
  const emptyDir = join(FIXTURES, "empty");
  if (!existsSync(join(emptyDir, "vault.db"))) LocalVault.open({ path: join(emptyDir, "vault.db"), env: {} }).close();
  console.log("\n`orbitra secrets list` (dist/bin), stdout a pipe: first line, whole run, peak RSS");
  for (const [label, path] of [["empty", join(emptyDir, "vault.db")], ...fixtures.map((f) => [String(f.size), f.path])] as const) {
    const rss = join(home, "rss");
    const r = await run(["/usr/bin/time", "-f", "%M", "-o", rss, process.execPath, bin, "secrets", "list", "--key-vault", `local:${path}`], {
      ORBITRA_HOME: home,
    });
    const mb = Number(readFileSync(rss, "utf8").trim().split("\n").pop()) / 1024;
    console.log(`  ${label.padEnd(8)} first line ${r.firstLineMs.toFixed(0).padStart(6)} ms   all ${(r.ms / 1000).toFixed(2)} s   ${mb.toFixed(0)} MB`);
  }
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === "ops") {
  measureOps(rest.map((spec) => fixtureOf(Number(spec.split(":")[0]), spec.endsWith(":1"), RUN)));
} else if (mode === "list") {
  listStore(rest[0]);
} else {
  await main();
}
