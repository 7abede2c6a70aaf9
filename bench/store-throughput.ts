// Local store throughput: LocalVault.setSecret / getSecret (random names) on a vault pre-filled to
// 1k and to 100k secrets, against a baseline in the same run: a bare node:sqlite table with the
// same file settings (WAL, synchronous=NORMAL) and plain INSERT / SELECT of the same values (no
// encryption, no versions, no soft-delete). Rounds alternate between the two sides so machine
// noise falls on both alike; the medians are compared.
//
//   node --import tsx bench/store-throughput.ts        (SIZES=1000,100000 OPS=2000 ROUNDS=5)
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { LocalVault } from "../src/store/local-vault.js";
import { median } from "./median.js";

const SIZES = (process.env.SIZES ?? "1000,100000").split(",").map(Number);
const OPS = Number(process.env.OPS ?? 2000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const VALUE = randomBytes(48).toString("base64"); // a typical connection-string-sized secret

interface Side {
  set(name: string): void;
  get(name: string): string;
  close(): void;
}

function vaultSide(dir: string): Side {
  const vault = LocalVault.open({ path: join(dir, "vault.db"), env: {} });
  return {
    set: (name) => void vault.setSecret(name, VALUE),
    get: (name) => vault.getSecret(name).value.reveal(),
    close: () => vault.close(),
  };
}

function baselineSide(dir: string): Side {
  const db = new DatabaseSync(join(dir, "baseline.db"));
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
  db.exec("CREATE TABLE kv (name TEXT PRIMARY KEY, value TEXT NOT NULL)");
  const insert = db.prepare("INSERT OR REPLACE INTO kv (name, value) VALUES (?, ?)");
  const select = db.prepare("SELECT value FROM kv WHERE name = ?");
  return {
    set: (name) => void insert.run(name, VALUE),
    get: (name) => (select.get(name) as { value: string }).value,
    close: () => db.close(),
  };
}

function opsPerSecond(count: number, op: (i: number) => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) op(i);
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}


function measure(size: number): { set: [number, number]; get: [number, number]; prefillSeconds: number } {
  const dir = mkdtempSync(join(tmpdir(), "orbitra-bench-store-"));
  const sides = [vaultSide(dir), baselineSide(dir)] as const;
  try {
    // Prefill one write (one transaction) at a time on both sides, as a real vault grows.
    const started = process.hrtime.bigint();
    for (let i = 0; i < size; i++) sides[0].set(`secret-${i}`);
    const prefillSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    for (let i = 0; i < size; i++) sides[1].set(`secret-${i}`);

    const results = sides.map(() => ({ sets: [] as number[], gets: [] as number[] }));
    let fresh = 0;
    for (let round = 0; round < ROUNDS; round++) {
      sides.forEach((side, s) => {
        const base = fresh;
        results[s]!.sets.push(opsPerSecond(OPS, (i) => side.set(`new-${base + i}`)));
      });
      fresh += OPS;
      // The same random names for both sides in a round.
      const names = Array.from({ length: OPS * 4 }, () => `secret-${Math.floor(Math.random() * size)}`);
      sides.forEach((side, s) => results[s]!.gets.push(opsPerSecond(names.length, (i) => void side.get(names[i]!))));
    }
    const [vault, base] = results as [(typeof results)[0], (typeof results)[0]];
    return { set: [median(vault.sets), median(base.sets)], get: [median(vault.gets), median(base.gets)], prefillSeconds };
  } finally {
    for (const side of sides) side.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US").padStart(9);
console.log(`store throughput, ops/s (median of ${ROUNDS} rounds; ${OPS} sets and ${OPS * 4} gets per round per side)`);
console.log("secrets  op    LocalVault   baseline   ratio");
for (const size of SIZES) {
  const r = measure(size);
  for (const [op, [vault, base]] of [["set", r.set], ["get", r.get]] as const) {
    console.log(`${String(size).padStart(7)}  ${op}  ${fmt(vault)}  ${fmt(base)}   ${(vault / base).toFixed(2)}`);
  }
  console.log(`         (prefill of ${size} secrets through setSecret: ${r.prefillSeconds.toFixed(1)} s)`);
}
