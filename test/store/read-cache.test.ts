import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { setImmediate as nextTurn } from "node:timers/promises";
import { inAnotherProcess } from "../helpers/other-process.js";
import type { LocalVault } from "../../src/store/local-vault.js";
import { VaultFixture } from "./vault-fixture.js";

/** The server's read cache: a hit must never hide a change, from this process or another. */
describe("LocalVault read cache (readCacheEntries)", () => {
  let fixture: VaultFixture;
  let cached: LocalVault;
  beforeEach(() => {
    fixture = new VaultFixture({ readCacheEntries: 2 });
    cached = fixture.vault;
  });
  afterEach(() => fixture.dispose());

  const read = (name: string, version?: string) => cached.getSecret(name, version).value.reveal();

  test("its own writes show at once: new version, disable, delete", () => {
    cached.setSecret("a", "one");
    assert.equal(read("a"), "one");
    cached.setSecret("a", "two");
    assert.equal(read("a"), "two");
    cached.updateSecretProperties("a", undefined, { enabled: false });
    assert.throws(() => cached.getSecret("a"), /disabled/i);
    cached.updateSecretProperties("a", undefined, { enabled: true });
    assert.equal(read("a"), "two");
    cached.deleteSecret("a");
    assert.throws(() => cached.getSecret("a"), (e: Error & { code?: string }) => e.code === "SecretNotFound");
  });

  test("another connection's commit is seen from the next event-loop turn", async () => {
    cached.setSecret("b", "first");
    assert.equal(read("b"), "first");
    const other = fixture.open();
    try {
      other.setSecret("b", "second");
      await nextTurn();
      assert.equal(read("b"), "second");
      other.deleteSecret("b");
      await nextTurn();
      assert.throws(() => cached.getSecret("b"), (e: Error & { code?: string }) => e.code === "SecretNotFound");
    } finally {
      other.close();
    }
  });

  test("another process's commit is seen too", async () => {
    cached.setSecret("c", "before");
    assert.equal(read("c"), "before");
    inAnotherProcess(fixture.path, `const v = open(); v.setSecret("c", "after"); v.close();`);
    await nextTurn();
    assert.equal(read("c"), "after");
    // After a WAL restart the header's frame count can come back to what it was: the salts still move.
    inAnotherProcess(fixture.path, `const v = open(); v.setSecret("c", "again"); v.close(); const db = new DatabaseSync(path); db.exec("PRAGMA wal_checkpoint(TRUNCATE)"); db.close();`);
    await nextTurn();
    assert.equal(read("c"), "again");
    inAnotherProcess(fixture.path, `const v = open(); v.setSecret("c", "last"); v.close();`);
    await nextTurn();
    assert.equal(read("c"), "last");
  });

  test("a name read between every other read stays cached while the others come and go", () => {
    const small = fixture.open({ readCacheEntries: 4 });
    try {
      for (const n of ["hot", "o0", "o1", "o2", "o3", "o4", "o5", "o6", "o7"]) small.setSecret(n, `v-${n}`);
      const first = small.getSecret("hot");
      for (let i = 0; i < 8; i++) {
        assert.equal(small.getSecret(`o${i}`).value.reveal(), `v-o${i}`);
        // A hit hands back the very object the store read first: never evicted, never read again.
        assert.equal(small.getSecret("hot"), first);
      }
    } finally {
      small.close();
    }
  });

  test("more names than entries, and versions by id, still read right", () => {
    const versions = ["x", "y", "z"].map((n) => cached.setSecret(n, `v-${n}`).version);
    for (let round = 0; round < 3; round++) {
      for (const n of ["x", "y", "z"]) assert.equal(read(n), `v-${n}`);
    }
    const older = cached.setSecret("x", "v-x2");
    assert.equal(read("x", versions[0]), "v-x");
    assert.equal(read("x", older.version.toUpperCase()), "v-x2");
    assert.equal(read("x"), "v-x2");
  });
});
