import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { setImmediate as nextTurn } from "node:timers/promises";
import { spawnSync } from "node:child_process";
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
    const script = `
      import { LocalVault } from ${JSON.stringify(new URL("../../src/store/local-vault.ts", import.meta.url).href)};
      const v = LocalVault.open({ path: ${JSON.stringify(fixture.path)}, env: {} });
      v.setSecret("c", "after"); v.close();`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
    assert.equal(child.status, 0, child.stderr);
    await nextTurn();
    assert.equal(read("c"), "after");
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
