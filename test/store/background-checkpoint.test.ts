import assert from "node:assert/strict";
import { copyFileSync, existsSync, renameSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, it } from "node:test";
import { DatabaseSync as Database } from "node:sqlite";
import { BackgroundCheckpointer, CHECKPOINT_EVERY_COMMITS, SAFETY_NET_PAGES } from "../../src/store/background-checkpoint.js";
import { LocalVault } from "../../src/store/local-vault.js";
import { pragmaValue } from "../../src/store/sqlite.js";
import { VaultFixture } from "./vault-fixture.js";

/**
 * Versions of `name` that the vault's main file holds without its WAL, i.e. what checkpoints have
 * copied back so far: read from a copy of the file alone, so no connection of ours touches the WAL.
 * Undefined when the copy caught the worker writing pages back (a plain copy takes no lock, so it
 * can hold half a checkpoint, which SQLite reads as malformed): ask again.
 */
function checkpointedVersions(f: VaultFixture): number | undefined {
  const copy = join(f.dir, `main-only-${Math.random().toString(36).slice(2)}.db`);
  copyFileSync(f.path, copy);
  const db = new Database(copy, { readOnly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM versions").get() as { n: number }).n;
  } catch (error) {
    if ((error as { errcode?: number }).errcode === SQLITE_CORRUPT) return undefined;
    throw error;
  } finally {
    db.close();
  }
}

const SQLITE_CORRUPT = 11;

/**
 * One new version per commit of a tiny vault dirties three pages (the secret's row, the version's
 * leaf, its index leaf): CHECKPOINT_EVERY_COMMITS commits stay under SQLite's own 1000-page
 * checkpoint, so whatever reaches the main file got there through the worker.
 */
function writeVersions(f: VaultFixture, commits: number): void {
  for (let i = 0; i < commits; i++) f.vault.setSecret("rotated", `value-${i}`);
}

describe("store: background checkpoints", () => {
  let f: VaultFixture;
  afterEach(() => f.dispose());

  it("copies a long-lived writer's WAL back into the file from another thread", async () => {
    f = new VaultFixture();
    // The open's key check was the first commit.
    writeVersions(f, CHECKPOINT_EVERY_COMMITS - 1);
    let copied = checkpointedVersions(f);
    for (let waited = 0; copied !== CHECKPOINT_EVERY_COMMITS - 1 && waited < 20_000; waited += 20) {
      await sleep(20);
      copied = checkpointedVersions(f);
    }
    assert.equal(copied, CHECKPOINT_EVERY_COMMITS - 1, "every version written before the request is in the main file");
    assert.equal(f.vault.listSecretVersions("rotated").items.length, CHECKPOINT_EVERY_COMMITS - 1);
  });

  it("leaves checkpoints to SQLite when turned off (and so the file alone is behind)", () => {
    f = new VaultFixture({ backgroundCheckpoint: false });
    writeVersions(f, CHECKPOINT_EVERY_COMMITS - 1);
    assert.equal(checkpointedVersions(f), 0, "no checkpoint ran: the same writes stay under SQLite's 1000 pages");
  });

  it("close() leaves every write in the file itself and no WAL behind, the worker's connection included", () => {
    f = new VaultFixture();
    writeVersions(f, 3 * CHECKPOINT_EVERY_COMMITS);
    f.vault.close();
    assert.equal(existsSync(`${f.path}-wal`), false, "the last close checkpoints and removes the WAL");
    assert.equal(checkpointedVersions(f), 3 * CHECKPOINT_EVERY_COMMITS);
    assert.equal(f.reopen().getSecret("rotated").value.reveal(), `value-${3 * CHECKPOINT_EVERY_COMMITS - 1}`);
  });

  it("a vault renamed while open: the thread opens nothing at the old path, and no write is lost", () => {
    f = new VaultFixture();
    const moved = `${f.path.slice(0, -".db".length)}-moved.db`;
    renameSync(f.path, moved);
    writeVersions(f, 3 * CHECKPOINT_EVERY_COMMITS);
    f.vault.close();
    // Before the fix the thread created an empty vault.db there (which the next open refuses as a
    // truncated vault), and SQLite, opening it, deleted the writer's -wal by name.
    assert.equal(existsSync(f.path), false, "no file was made at the vault's old path");
    // SQLite does not checkpoint into a file that moved (SQLITE_READONLY_DBMOVED at close): what
    // the writer's own checkpoints did not copy in stays in the WAL under the old name. Put back,
    // the vault has every version either way.
    renameSync(moved, f.path);
    const reopened = LocalVault.open({ path: f.path, env: {} });
    try {
      assert.equal(reopened.listSecretVersions("rotated").items.length, 3 * CHECKPOINT_EVERY_COMMITS);
    } finally {
      reopened.close();
    }
  });

  it("when the thread cannot open the writer's file, the writer checkpoints itself again at SQLite's default", async () => {
    f = new VaultFixture({ backgroundCheckpoint: false });
    const db = new Database(f.path);
    const checkpointer = new BackgroundCheckpointer(db, f.path);
    try {
      renameSync(f.path, `${f.path}.elsewhere`);
      for (let i = 0; i < CHECKPOINT_EVERY_COMMITS; i++) checkpointer.afterCommit();
      assert.equal(pragmaValue(db, "wal_autocheckpoint"), SAFETY_NET_PAGES, "the thread was started, and the writer's own checkpoint set to the safety net");
      // The thread finds another file (none) at the path and ends; the next request sees that.
      for (let waited = 0; waited < 20_000 && pragmaValue(db, "wal_autocheckpoint") !== 1000; waited += 20) {
        await sleep(20);
        for (let i = 0; i < CHECKPOINT_EVERY_COMMITS; i++) checkpointer.afterCommit();
      }
      assert.equal(pragmaValue(db, "wal_autocheckpoint"), 1000);
      assert.equal(existsSync(f.path), false);
    } finally {
      checkpointer.close();
      db.close();
    }
  });
});
