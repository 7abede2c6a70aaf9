import assert from "node:assert/strict";
import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, it } from "node:test";
import { DatabaseSync as Database } from "node:sqlite";
import { CHECKPOINT_EVERY_COMMITS } from "../../src/store/background-checkpoint.js";
import { VaultFixture } from "./vault-fixture.js";

/**
 * Versions of `name` that the vault's main file holds without its WAL, i.e. what checkpoints have
 * copied back so far: read from a copy of the file alone, so no connection of ours touches the WAL.
 */
function checkpointedVersions(f: VaultFixture): number {
  const copy = join(f.dir, `main-only-${Math.random().toString(36).slice(2)}.db`);
  copyFileSync(f.path, copy);
  const db = new Database(copy, { readOnly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM versions").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

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
    for (let waited = 0; copied < CHECKPOINT_EVERY_COMMITS - 1 && waited < 20_000; waited += 20) {
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
});
