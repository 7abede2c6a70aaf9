// A prototype, not the store: would a get at 1M reach 0.9x of 1k if it walked one b-tree instead of
// two? Raw node:sqlite on copies of the store-scale fixtures (migrated by LocalVault first), the
// store's pragmas, rounds alternating between the sizes and the layouts.
// "two": today's get, the store's own statement (the secret's row, then its latest version by seq).
// "one": a `latest` table keyed by name_key (WITHOUT ROWID) holding the secret's row and its latest
// version's columns, value included, so a get is one seek.
// Reported: each statement alone (µs a call), and what a whole `LocalVault.getSecret` costs on the
// same copy (the value opened, a SecretRead made), so that the projected ratio of a get with one
// b-tree can be read off: the statement's share changes, the rest of a get does not.
//
//   node --import tsx bench/store-one-btree.ts   (FIXTURES=/tmp/orbitra-scale RUN=$FIXTURES/run ROUNDS=5 GETS=200000;
//                                                 the fixtures are store-scale.ts's, build them there first)
import { join } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { LocalVault } from "../src/store/local-vault.js";
import { CACHE_KIB, MMAP_BYTES } from "../src/store/open-database.js";
import { copyVault, FIXTURES, RUN } from "./fixture-copies.js";
import { median } from "./median.js";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const GETS = Number(process.env.GETS ?? 200_000);
const SIZES = [1000, 1_000_000];

const LATEST = `
  CREATE TABLE latest (name_key TEXT PRIMARY KEY, id INTEGER NOT NULL, name TEXT NOT NULL, deleted_date INTEGER,
    scheduled_purge_date INTEGER, seq INTEGER, version TEXT, value BLOB, content_type TEXT, tags TEXT, enabled INTEGER,
    nbf INTEGER, exp INTEGER, created INTEGER, updated INTEGER, managed INTEGER) WITHOUT ROWID;
  INSERT INTO latest SELECT o.name_key, o.id, o.name, o.deleted_date, o.scheduled_purge_date, v.seq, v.version, v.value,
    v.content_type, v.tags, v.enabled, v.nbf, v.exp, v.created, v.updated, v.managed
    FROM secrets o JOIN versions v ON v.seq = o.latest_seq ORDER BY o.name_key;`;

interface Side {
  size: number;
  two: StatementSync;
  one: StatementSync;
  vault: LocalVault;
  /** µs a call per round, by what was timed. */
  us: Record<"two" | "one" | "getSecret", number[]>;
}

function prepare(size: number): Side {
  const path = copyVault(join(FIXTURES, String(size)), join(RUN, `one-btree-${size}`));
  LocalVault.open({ path, env: {}, backgroundCheckpoint: false }).close();
  const db = new DatabaseSync(path);
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA mmap_size = ${MMAP_BYTES}; PRAGMA cache_size = -${CACHE_KIB}`);
  const started = performance.now();
  db.exec(`BEGIN; ${LATEST} COMMIT; PRAGMA wal_checkpoint(TRUNCATE)`);
  console.log(`built latest for ${size.toLocaleString("en")} in ${(performance.now() - started).toFixed(0)} ms`);
  return {
    size,
    // The store's statement (ObjectTable.live), columns and all.
    two: db.prepare(
      "SELECT o.id AS secret_id, o.name, o.name_key, o.deleted_date, o.scheduled_purge_date, v.* FROM secrets o JOIN versions v ON v.seq = o.latest_seq WHERE o.name_key = ? AND o.deleted_date IS NULL",
    ),
    one: db.prepare("SELECT * FROM latest WHERE name_key = ? AND deleted_date IS NULL"),
    vault: LocalVault.open({ path, env: {}, backgroundCheckpoint: false }),
    us: { two: [], one: [], getSecret: [] },
  };
}

function time(names: readonly string[], fn: (name: string) => unknown): number {
  const started = performance.now();
  for (const name of names) fn(name);
  return ((performance.now() - started) * 1000) / names.length;
}

const sides = SIZES.map(prepare);
for (let round = -1; round < ROUNDS; round++) {
  for (const side of sides) {
    const names = Array.from({ length: GETS }, () => `secret-${Math.floor(Math.random() * side.size)}`);
    const two = time(names, (n) => side.two.get(n));
    const one = time(names, (n) => side.one.get(n));
    const whole = time(names, (n) => side.vault.getSecret(n).value.reveal());
    if (round < 0) continue; // warms the caches
    side.us.two.push(two);
    side.us.one.push(one);
    side.us.getSecret.push(whole);
  }
}
for (const side of sides) side.vault.close();

const [small, big] = sides.map((s) => ({ size: s.size, two: median(s.us.two), one: median(s.us.one), get: median(s.us.getSecret) }));
console.log(`median of ${ROUNDS} rounds, ${GETS.toLocaleString("en")} random gets each, µs a call`);
console.log("vault        two b-trees   one b-tree   getSecret (today)   getSecret with one b-tree (projected)");
for (const s of [small!, big!]) {
  const projected = s.get - s.two + s.one;
  console.log(`${s.size.toLocaleString("en").padEnd(12)} ${s.two.toFixed(2).padStart(11)}   ${s.one.toFixed(2).padStart(10)}   ${s.get.toFixed(2).padStart(17)}   ${projected.toFixed(2).padStart(36)}`);
}
const ratio = (a: number, b: number) => (a / b).toFixed(2);
console.log(`1M / 1k as ops/s: two b-trees ${ratio(small!.two, big!.two)}x, one ${ratio(small!.one, big!.one)}x; getSecret today ${ratio(small!.get, big!.get)}x, with one b-tree ${ratio(small!.get - small!.two + small!.one, big!.get - big!.two + big!.one)}x (target 0.9x)`);
