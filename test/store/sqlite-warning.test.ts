// Node 22 announces node:sqlite with an ExperimentalWarning. The store swallows that one warning
// (a CLI user cannot act on it) and nothing else of its host process. Meaningful on Node 22, where
// the warning exists (.ci/run runs the store tests there too); on later lines it checks the rest.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

const store = join(import.meta.dirname, "..", "..", "src", "store", "local-vault.ts");

describe("store: Node's SQLite ExperimentalWarning", () => {
  it("never reaches stderr, while the host's own warnings still do", () => {
    const dir = mkdtempSync(join(tmpdir(), "orbitra-warning-"));
    try {
      const script = `
        const { LocalVault } = await import(${JSON.stringify(store)});
        const vault = LocalVault.open({ path: ${JSON.stringify(join(dir, "vault.db"))}, env: {} });
        vault.setSecret("a", "b");
        vault.close();
        process.emitWarning("the host's own experiment", "ExperimentalWarning");
        process.emitWarning("a SQLite-looking deprecation of the host", "DeprecationWarning");`;
      const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
      assert.equal(child.status, 0, child.stderr);
      assert.doesNotMatch(child.stderr, /SQLite is an experimental feature/);
      assert.match(child.stderr, /ExperimentalWarning: the host's own experiment/);
      assert.match(child.stderr, /DeprecationWarning: a SQLite-looking deprecation of the host/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
