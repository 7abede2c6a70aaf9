// A prototype, not the store: what would a new version cost if it dirtied one random page instead
// of two? Raw node:sqlite on copies of the store-scale fixtures (migrated by LocalVault first), the
// store's pragmas, SQLite's own checkpoints, rounds alternating, the ratio 1M/1k per round (median).
// "two": today's tables (the secret's row for latest_seq, the (secret_id, version) index leaf).
// "one": versions rebuilt without the UNIQUE (secret_id, version) index, so a new version writes the
// secret's row and the versions table's last leaf only. See bench/README.md, "The store at scale".
//
//   node --import tsx bench/store-one-page.ts   (FIXTURES=/tmp/orbitra-scale RUN=$FIXTURES/run ROUNDS=7 PUTS=3000;
//                                                the fixtures are store-scale.ts's, build them there first)
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { randomBytes } from "node:crypto";
import { LocalVault } from "../src/store/local-vault.js";
import { CACHE_KIB, MMAP_BYTES } from "../src/store/open-database.js";

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const PUTS = Number(process.env.PUTS ?? 3000);
const FIXTURES = process.env.FIXTURES ?? "/tmp/orbitra-scale";
const RUN = process.env.RUN ?? join(FIXTURES, "run");
const sizes = [1000, 1000000];
const open = (path: string) => {
  const db = new DatabaseSync(path);
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA mmap_size = ${MMAP_BYTES}; PRAGMA cache_size = -${CACHE_KIB}`);
  return db;
};
const cases = ["two", "one"].flatMap((layout) => sizes.map((size) => {
  const dir = join(RUN, `one-page-${layout}-${size}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of ["vault.db", "vault.key"]) copyFileSync(join(FIXTURES, String(size), file), join(dir, file));
  LocalVault.open({ path: join(dir, "vault.db"), env: {}, backgroundCheckpoint: false }).close();
  const db = open(join(dir, "vault.db"));
  if (layout === "one") {
    const t = performance.now();
    db.exec("PRAGMA foreign_keys = OFF; BEGIN");
    db.exec(`CREATE TABLE v2 (seq INTEGER PRIMARY KEY, secret_id INTEGER NOT NULL REFERENCES secrets (id) ON DELETE CASCADE, version TEXT NOT NULL, value BLOB NOT NULL, content_type TEXT, tags TEXT, enabled INTEGER NOT NULL, nbf INTEGER, exp INTEGER, created INTEGER NOT NULL, updated INTEGER NOT NULL, managed INTEGER NOT NULL DEFAULT 0);
      INSERT INTO v2 SELECT seq, secret_id, version, value, content_type, tags, enabled, nbf, exp, created, updated, managed FROM versions;
      DROP TABLE versions; ALTER TABLE v2 RENAME TO versions;`);
    db.exec("COMMIT; PRAGMA wal_checkpoint(TRUNCATE)");
    console.log(`rebuilt ${size} in ${(performance.now() - t).toFixed(0)} ms`);
  }
  db.exec("PRAGMA foreign_keys = OFF");
  const head = db.prepare("SELECT id FROM secrets WHERE name_key = ?");
  const ins = db.prepare("INSERT INTO versions (secret_id, version, value, enabled, created, updated) VALUES (?, ?, ?, 1, 0, 0)");
  const upd = db.prepare("UPDATE secrets SET latest_seq = ? WHERE name_key = ?");
  const get = db.prepare("SELECT v.value FROM secrets o JOIN versions v ON v.seq = o.latest_seq WHERE o.name_key = ? AND o.deleted_date IS NULL");
  const value = randomBytes(100);
  return { layout, size, db, put: (name: string) => {
    db.exec("BEGIN IMMEDIATE");
    const { id } = head.get(name) as { id: number };
    const seq = Number(ins.run(id, randomBytes(16).toString("hex"), value).lastInsertRowid);
    upd.run(seq, name);
    db.exec("COMMIT");
  }, get: (name: string) => get.get(name), rates: [] as number[][] };
}));
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
for (let r = -1; r < ROUNDS; r++) for (const c of cases) {
  const names = Array.from({ length: PUTS * 4 }, () => `secret-${Math.floor(Math.random() * c.size)}`);
  const m = (n: number, fn: (i: number) => void) => {
    const w = process.hrtime.bigint(), t = process.threadCpuUsage();
    for (let i = 0; i < n; i++) fn(i);
    const tu = process.threadCpuUsage(t);
    return [n / (Number(process.hrtime.bigint() - w) / 1e9), n / ((tu.user + tu.system) / 1e6)];
  };
  const p = m(PUTS, (i) => c.put(names[i]!));
  const g = m(PUTS * 4, (i) => c.get(names[i]!));
  if (r >= 0) c.rates.push([...p, ...g]);
}
for (const c of cases) c.db.close();
console.log("layout size      put wall/cpu ops/s   put vs 1k (wall cpu, median per-round)   get vs 1k (wall cpu)");
for (const c of cases) {
  const b = cases.find((x) => x.layout === c.layout && x.size === 1000)!;
  const rr = (k: number) => med(c.rates.map((x, i) => x[k]! / b.rates[i]![k]!)).toFixed(2);
  console.log(`${c.layout.padEnd(6)} ${String(c.size).padEnd(9)} ${Math.round(med(c.rates.map((x) => x[0]!)))}/${Math.round(med(c.rates.map((x) => x[1]!)))}   ${rr(0)} ${rr(1)}   ${rr(2)} ${rr(3)}`);
}
