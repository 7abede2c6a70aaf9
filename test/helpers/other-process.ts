import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

const LOCAL_VAULT = new URL("../../src/store/local-vault.ts", import.meta.url).href;

/**
 * Runs `body` (ESM, top-level await allowed) in a separate Node process and waits for it: what
 * another `orbitra` process does to a vault file, with its own SQLite connection and its own
 * shared-memory mapping. `LocalVault` is imported for it; `open()` opens the vault at `path`.
 */
export function inAnotherProcess(path: string, body: string): void {
  const script = `
    import { LocalVault } from ${JSON.stringify(LOCAL_VAULT)};
    import { DatabaseSync } from "node:sqlite";
    const path = ${JSON.stringify(path)};
    const open = () => LocalVault.open({ path, env: {} });
    ${body}`;
  const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(child.status, 0, child.stderr);
}
