/* eslint-disable @typescript-eslint/no-require-imports, no-undef */
// The floor under `orbitra secrets get` (bench/startup.ts runs it as a context line): the native
// work any read of an encrypted SQLite vault does, with none of orbitra's code: node:sqlite,
// node:crypto, opening the file in WAL mode, one SELECT, one AES-256-GCM decipher of the row (the
// value itself is not checked), one write to stdout.
const { DatabaseSync } = require("node:sqlite");
const { createDecipheriv } = require("node:crypto");
const { readFileSync, writeSync } = require("node:fs");
const { join } = require("node:path");

const dir = join(process.env.ORBITRA_HOME, "local");
const db = new DatabaseSync(join(dir, "vault.db"));
db.exec("PRAGMA journal_mode = WAL");
const row = db.prepare("SELECT v.value FROM secrets s JOIN versions v ON v.secret_id = s.id WHERE s.name_key = ?").get(process.argv[2]);
const key = readFileSync(join(dir, "vault.key")).subarray(0, 32);
try {
  const decipher = createDecipheriv("aes-256-gcm", key, row.value.subarray(0, 12));
  decipher.update(row.value.subarray(28));
} catch {
  // the layout differs from the store's; the cost is what is measured
}
db.close();
writeSync(1, "floor");
