// What opening a vault does with the file it finds: a missing one the user named (only a write
// creates it), an empty one (refused, never taken for new), and a disk that fills up mid-write.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SecretStr } from "../../src/core/secret-str.js";
import { LocalBackend } from "../../src/backends/local-backend.js";
import { LocalVault } from "../../src/store/local-vault.js";

describe("store: the file a vault is opened on", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "orbitra-open-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("a named vault that does not exist: reads fail naming the path and create nothing; a write creates it", async () => {
    const path = join(dir, "typo", "nested", "x.db");
    const backend = LocalBackend.open({ path, env: {}, createOnlyToWrite: true });
    await assert.rejects(backend.getSecret("a"), { code: "Configuration", serviceCode: "VaultNotFound", message: new RegExp(`No vault at ${path}`) });
    const listing = async () => {
      for await (const _ of backend.listSecrets()) void _;
    };
    await assert.rejects(listing(), { code: "Configuration" });
    assert.equal(existsSync(join(dir, "typo")), false, "no folder, database or key was made");
    await backend.setSecret("a", new SecretStr("b"));
    assert.equal((await backend.getSecret("a")).value?.reveal(), "b");
    await backend.close();
  });

  it("the built-in default vault is still made by a read, as a fresh machine's first `list` needs", async () => {
    const path = join(dir, "default", "vault.db");
    const backend = LocalBackend.open({ path, env: {} });
    for await (const _ of backend.listSecrets()) void _;
    assert.ok(existsSync(path));
    await backend.close();
  });

  it("refuses an empty (0-byte) file instead of taking it for a new vault, and leaves it as it was", () => {
    const path = join(dir, "empty.db");
    writeFileSync(path, "");
    assert.throws(() => LocalVault.open({ path, env: {} }), { code: "Configuration", message: /is empty \(0 bytes\)/ });
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith("empty")), ["empty.db"]);
    assert.equal(existsSync(join(dir, "vault.key")), false, "no key was made for it");
  });

  it("makes a new vault whole: no temporary file is left, and a second opener uses the same file", () => {
    const path = join(dir, "fresh", "vault.db");
    const a = LocalVault.open({ path, env: {} });
    const b = LocalVault.open({ path, env: {} });
    a.setSecret("s", "from a");
    assert.equal(b.getSecret("s").value.reveal(), "from a");
    a.close();
    b.close();
    assert.deepEqual(readdirSync(join(dir, "fresh")).filter((f) => f.endsWith(".new")), []);
  });
});

// A real full disk: a tiny tmpfs (needs root and mount; skipped with the reason otherwise).
const mountPoint = join(tmpdir(), `orbitra-full-${process.pid}`);
mkdirSync(mountPoint, { recursive: true });
const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=160k", "tmpfs", mountPoint]).status === 0;

describe("store: a disk that fills up", { skip: mounted ? false : "cannot mount a small tmpfs here (needs root)" }, () => {
  after(() => {
    execFileSync("umount", [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it("answers Unavailable (StorageFull) naming the cure, and keeps every acknowledged write", () => {
    const vault = LocalVault.open({ path: join(mountPoint, "vault.db"), env: {} });
    const written: string[] = [];
    let failure: unknown;
    try {
      for (let i = 0; i < 1000; i++) {
        vault.setSecret(`s${i}`, "x".repeat(20_000));
        written.push(`s${i}`);
      }
    } catch (error) {
      failure = error;
    }
    assert.ok(failure, "the disk filled up");
    assert.equal((failure as { code?: string }).code, "Unavailable", String(failure));
    assert.equal((failure as { serviceCode?: string }).serviceCode, "StorageFull");
    assert.match((failure as Error).message, /is full; nothing was changed\. Free some space/);
    for (const name of written) assert.equal(vault.getSecret(name).value.length, 20_000);
    vault.close();
  });
});
