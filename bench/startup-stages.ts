// Where the instructions of `orbitra secrets get NAME --environment local` go, step by step:
// copies of the built get bundle that exit at the start of one step each, counted under callgrind
// (hash seed taken out, bench/callgrind.ts) against `node -e 0` and the floor
// (bench/startup-floor.cjs: node:sqlite, node:crypto, one SELECT, one decipher, no orbitra code).
// A step's cost is the difference between one line and the one before it.
//
//   npm run build && node --import tsx bench/startup-stages.ts     (RUNS=3 counts per line)
//
// Each copy runs from its own folder and ORBITRA_HOME (a copy of one seeded vault), so that the
// copies' code caches, all of a bundle named orbitra-get.cjs, do not replace one another; each is
// run twice before counting, so its cache is written and warm as a user's would be. A step is
// found in the bundle by a line of its code: when the sources change, a marker that no longer
// matches stops the run and names itself.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { countInstructions } from "./callgrind.js";
import { median } from "./median.js";

const RUNS = Number(process.env.RUNS ?? 3);
const root = join(import.meta.dirname, "..");
const dist = join(root, "dist", "bin");
const node = process.execPath;
const work = mkdtempSync(join(tmpdir(), "orbitra-bench-stages-"));
const get = ["secrets", "get", "bench-secret", "--environment", "local"];
const EXIT = "process.exit(0);";

interface Stage {
  label: string;
  /** A share of the step on the line above (counted from the same start), not a step of its own. */
  part?: boolean;
  /** Inserts the early exit into the bundle's text; undefined: the bundle as built. */
  edit?: (bundle: string) => string;
}

/** Puts `insert` right after the first occurrence of `marker` (or before it, with `before`). */
const at = (marker: string, insert = EXIT, where: "after" | "before" = "after") => (bundle: string): string => {
  const i = where === "before" ? bundle.lastIndexOf(marker) : bundle.indexOf(marker);
  if (i < 0) throw new Error(`bench/startup-stages.ts: marker not found in orbitra-get.cjs: ${marker}`);
  const cut = where === "before" ? i : i + marker.length;
  return bundle.slice(0, cut) + insert + bundle.slice(cut);
};

const stages: Stage[] = [
  { label: "loader: bundle read, code cache deserialized", edit: at('.pathToFileURL(__filename).href;\n') },
  { label: "module init of the CLI side", edit: at("// src/cli/startup-get.ts", `${EXIT}\n`, "before") },
  { label: "settings read, environment resolved", edit: at("open: async (request) => (", "process.exit(0), ") },
  { label: "module init of the client layers", edit: at("function getSecretsClient(first, environment, credential) {") },
  // The same exit as the settings line, after loading the two built-ins alone: Node's share of the step above.
  { label: "  of which Node's node:crypto + node:sqlite", part: true, edit: at("open: async (request) => (", "require('node:crypto'), require('node:sqlite'), process.exit(0), ") },
  { label: "client, target, vault objects made", edit: at("function openDatabase(path, busyTimeoutMs, create = true) {") },
  { label: "SQLite opened, pragmas, schema checked", edit: at("function resolveVaultKey(source, mayCreate) {") },
  { label: "vault key read", edit: at("function checkVaultKey(meta, key, path, write, marker = meta.value(MARKER)) {") },
  { label: "key checked, secret read, opened, printed: all" },
];

try {
  const seedHome = join(work, "seed");
  const seeded = spawnSync(node, [join(dist, "orbitra.cjs"), "secrets", "set", "bench-secret", "-e", "local"], { env: { PATH: process.env.PATH, ORBITRA_HOME: seedHome }, input: "bench-value" });
  if (seeded.status !== 0) throw new Error(`seeding failed: ${seeded.stderr}`);
  const env = (home: string) => ({ PATH: process.env.PATH, ORBITRA_HOME: home });
  const count = (args: string[], home: string) => median(Array.from({ length: RUNS }, () => countInstructions(node, args, env(home)).net));

  const zero = count(["-e", "0"], seedHome);
  const floor = count([join(import.meta.dirname, "startup-floor.cjs"), "bench-secret"], seedHome);
  const source = readFileSync(join(dist, "orbitra-get.cjs"), "utf8");
  const rows: { label: string; part: boolean; net: number }[] = [];
  for (const [i, stage] of stages.entries()) {
    const dir = join(work, `stage-${i}`);
    const home = join(dir, "home");
    mkdirSync(dir);
    cpSync(join(dist, "orbitra.cjs"), join(dir, "orbitra.cjs"));
    writeFileSync(join(dir, "orbitra-get.cjs"), stage.edit ? stage.edit(source) : source);
    cpSync(join(seedHome, "local"), join(home, "local"), { recursive: true });
    const args = [join(dir, "orbitra.cjs"), ...get];
    for (let warm = 0; warm < 2; warm++) {
      const run = spawnSync(node, args, { env: env(home), encoding: "utf8" });
      if (run.status !== 0) throw new Error(`${stage.label}: ${run.stderr}`);
    }
    rows.push({ label: stage.label, part: stage.part === true, net: count(args, home) });
  }

  const width = Math.max(...rows.map((r) => r.label.length), 30);
  const m = (n: number) => (n / 1e6).toFixed(1).padStart(7);
  console.log(`instructions, hash seed taken out, median of ${RUNS} (node ${process.version})`);
  console.log(`${"".padEnd(width)}  exit here   step   x node -e 0`);
  console.log(`${"node -e 0".padEnd(width)}  ${m(zero)} M           1.00x`);
  let start = zero; // where the current step started
  let end = zero;
  for (const row of rows) {
    if (!row.part) [start, end] = [end, row.net];
    console.log(`${row.label.padEnd(width)}  ${m(row.net)} M ${m(row.net - start)}   ${(row.net / zero).toFixed(2)}x`);
  }
  console.log(`${"floor: sqlite + crypto, no orbitra code".padEnd(width)}  ${m(floor)} M           ${(floor / zero).toFixed(2)}x`);
  console.log(`get above the floor: ${((rows.at(-1)!.net - floor) / 1e6).toFixed(1)} M; 1.30x of node -e 0 is ${((zero * 1.3) / 1e6).toFixed(1)} M`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
