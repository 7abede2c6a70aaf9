// A prototype, not the store: what would a new version cost if it dirtied one random page instead
// of two? Raw node:sqlite on copies of the store-scale fixtures (migrated by LocalVault first), the
// store's pragmas, SQLite's own checkpoints, rounds alternating, the ratio 1M/1k per round (median).
// "two": today's tables (the secret's row for latest_seq, the (secret_id, version) index leaf).
// "one": versions rebuilt without the UNIQUE (secret_id, version) index, so a new version writes the
// secret's row and the versions table's last leaf only. See bench/README.md, "The store at scale".
//
//   node --import tsx bench/store-one-page.ts   (FIXTURES=/tmp/orbitra-scale RUN=$FIXTURES/run ROUNDS=7 PUTS=3000;
//                                                the fixtures are store-scale.ts's, build them there first)
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { randomBytes } from "node:crypto";
import { LocalVault } from "../src/store/local-vault.js";
import { CACHE_KIB, MMAP_BYTES } from "../src/store/open-database.js";
import { copyVault, FIXTURES, RUN } from "./fixture-copies.js";
import { median } from "./median.js";

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const PUTS = Number(process.env.PUTS ?? 3000);
const SIZES = [1000, 1000000];

// versions as migration 6 left it, without UNIQUE (secret_id, version): rows keep their seq.
const WITHOUT_INDEX = `
  CREATE TABLE v2 (seq INTEGER PRIMARY KEY, secret_id INTEGER NOT NULL, version TEXT NOT NULL, value BLOB NOT NULL,
    content_type TEXT, tags TEXT, enabled INTEGER NOT NULL, nbf INTEGER, exp INTEGER, created INTEGER NOT NULL,
    updated INTEGER NOT NULL, managed INTEGER NOT NULL DEFAULT 0);
  INSERT INTO v2 SELECT seq, secret_id, version, value, content_type, tags, enabled, nbf, exp, created, updated, managed FROM versions;
  DROP TABLE versions;
  ALTER TABLE v2 RENAME TO versions;`;

interface Case {
  layout: string;
  size: number;
  db: DatabaseSync;
  put: (name: string) => void;
  get: (name: string) => void;
  /** Per round: put wall, put CPU, get wall, get CPU (ops/s). */
  rates: number[][];
}

function prepare(layout: string, size: number): Case {
  const path = copyVault(join(FIXTURES, String(size)), join(RUN, `one-page-${layout}-${size}`));
  LocalVault.open({ path, env: {}, backgroundCheckpoint: false }).close();
  const db = new DatabaseSync(path);
  // Foreign keys off on both sides: neither pays the parent check, so only the index differs.
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF;
    PRAGMA mmap_size = ${MMAP_BYTES}; PRAGMA cache_size = -${CACHE_KIB}`);
  if (layout === "one") {
    const started = performance.now();
    db.exec(`BEGIN; ${WITHOUT_INDEX} COMMIT; PRAGMA wal_checkpoint(TRUNCATE)`);
    console.log(`rebuilt ${size} in ${(performance.now() - started).toFixed(0)} ms`);
  }
  const head = db.prepare("SELECT id FROM secrets WHERE name_key = ?");
  const insert = db.prepare("INSERT INTO versions (secret_id, version, value, enabled, created, updated) VALUES (?, ?, ?, 1, 0, 0)");
  const setLatest = db.prepare("UPDATE secrets SET latest_seq = ? WHERE name_key = ?");
  const latest = db.prepare("SELECT v.value FROM secrets o JOIN versions v ON v.seq = o.latest_seq WHERE o.name_key = ? AND o.deleted_date IS NULL");
  const value = randomBytes(100);
  const put = (name: string) => {
    db.exec("BEGIN IMMEDIATE");
    const { id } = head.get(name) as { id: number };
    setLatest.run(Number(insert.run(id, randomBytes(16).toString("hex"), value).lastInsertRowid), name);
    db.exec("COMMIT");
  };
  return { layout, size, db, put, get: (name) => void latest.get(name), rates: [] };
}


function rates(count: number, op: (i: number) => void): number[] {
  const wall = process.hrtime.bigint();
  const cpu = process.threadCpuUsage();
  for (let i = 0; i < count; i++) op(i);
  const used = process.threadCpuUsage(cpu);
  return [count / (Number(process.hrtime.bigint() - wall) / 1e9), count / ((used.user + used.system) / 1e6)];
}

const cases = ["two", "one"].flatMap((layout) => SIZES.map((size) => prepare(layout, size)));
for (let round = -1; round < ROUNDS; round++) {
  for (const c of cases) {
    const names = Array.from({ length: PUTS * 4 }, () => `secret-${Math.floor(Math.random() * c.size)}`);
    const put = rates(PUTS, (i) => c.put(names[i]!));
    const get = rates(PUTS * 4, (i) => c.get(names[i]!));
    if (round >= 0) c.rates.push([...put, ...get]); // round -1 warms the caches
  }
}
for (const c of cases) c.db.close();
console.log("layout size      new version wall/cpu ops/s   vs 1k (wall cpu)   get vs 1k (wall cpu)");
for (const c of cases) {
  const base = cases.find((x) => x.layout === c.layout && x.size === SIZES[0])!;
  const ratio = (k: number) => median(c.rates.map((r, i) => r[k]! / base.rates[i]![k]!)).toFixed(2);
  const rate = (k: number) => Math.round(median(c.rates.map((r) => r[k]!)));
  console.log(`${c.layout.padEnd(6)} ${String(c.size).padEnd(9)} ${rate(0)}/${rate(1)}   ${ratio(0)} ${ratio(1)}   ${ratio(2)} ${ratio(3)}`);
}
