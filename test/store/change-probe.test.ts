import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { changeProbe } from "../../src/store/change-probe.js";
import { inAnotherProcess } from "../helpers/other-process.js";
import { VaultFixture } from "./vault-fixture.js";

/** What the read cache's freshness rests on: a commit elsewhere is always seen, and nothing else needs to be. */
describe("changeProbe", () => {
  let fixture: VaultFixture;
  let db: DatabaseSync;
  beforeEach(() => {
    fixture = new VaultFixture();
    fixture.vault.setSecret("a", "one");
    db = new DatabaseSync(fixture.path);
  });
  afterEach(() => {
    db.close();
    fixture.dispose();
  });

  test("a vault file (WAL) gets the -shm header probe; reads leave it unchanged", () => {
    const probe = changeProbe(db, fixture.path);
    try {
      assert.equal(probe.kind, "wal-index");
      assert.equal(probe.changed(), false);
      fixture.vault.getSecret("a");
      db.prepare("SELECT count(*) FROM secrets").get();
      assert.equal(probe.changed(), false);
    } finally {
      probe.close();
    }
  });

  test("every commit of another process shows, WAL restarts included", () => {
    const probe = changeProbe(db, fixture.path);
    try {
      inAnotherProcess(fixture.path, `const v = open(); v.setSecret("a", "two"); v.close();`);
      assert.equal(probe.changed(), true);
      assert.equal(probe.changed(), false);
      // Checkpointed and truncated, then one write: the WAL starts again from its first frame.
      inAnotherProcess(
        fixture.path,
        `const db = new DatabaseSync(path); db.exec("PRAGMA wal_checkpoint(TRUNCATE)"); db.close(); const v = open(); v.setSecret("a", "three"); v.close();`,
      );
      assert.equal(probe.changed(), true);
      inAnotherProcess(fixture.path, `const v = open(); v.deleteSecret("a"); v.close();`);
      assert.equal(probe.changed(), true);
      assert.equal(probe.changed(), false);
    } finally {
      probe.close();
    }
  });

  test("a vault reached through a symbolic link probes the real file's index", () => {
    const dir = mkdtempSync(join(tmpdir(), "orbitra-link-"));
    const link = join(dir, "linked.db");
    symlinkSync(fixture.path, link);
    const viaLink = new DatabaseSync(link);
    const probe = changeProbe(viaLink, link);
    try {
      assert.equal(probe.kind, "wal-index");
      fixture.vault.setSecret("a", "two");
      assert.equal(probe.changed(), true);
    } finally {
      probe.close();
      viaLink.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a file not in WAL mode falls back to data_version, which sees another connection's commit", () => {
    const dir = mkdtempSync(join(tmpdir(), "orbitra-rollback-"));
    const path = join(dir, "plain.db");
    const mine = new DatabaseSync(path);
    const other = new DatabaseSync(path);
    try {
      mine.exec("PRAGMA journal_mode = DELETE; CREATE TABLE t (x)");
      const probe = changeProbe(mine, path);
      assert.equal(probe.kind, "data-version");
      probe.changed();
      assert.equal(probe.changed(), false);
      other.exec("INSERT INTO t VALUES (1)");
      assert.equal(probe.changed(), true);
      assert.equal(probe.changed(), false);
      probe.close();
    } finally {
      mine.close();
      other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
