import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { openTarget } from "../../src/backends/open-backend.js";
import { SecretStr } from "../../src/core/secret-str.js";

describe("backends: one opened target serves every kind", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "orbitra-open-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("a local target: one lazily opened file, a read of a named missing file refused, close idempotent", async () => {
    const path = join(dir, "named.db");
    const env = { ORBITRA_HOME: join(dir, "home") };
    const opened = await openTarget({ kind: "local", environment: "dev", path, explicit: true }, { env });
    assert.equal(opened.vaultUrl, `local://${path}`);
    assert.equal(opened.secrets.vaultUrl, opened.vaultUrl);
    assert.equal(existsSync(path), false, "nothing is opened until asked");
    await assert.rejects(opened.secrets.getSecret("a"), { code: "Configuration" });
    assert.equal(existsSync(path), false, "a read does not create a file the user named");
    await opened.secrets.setSecret("a", new SecretStr("v"));
    assert.equal((await opened.secrets.getSecret("a")).value?.reveal(), "v");
    await opened.close();
    await opened.close();
  });

  it("a local target's keys share the secrets' file handle: closing the target closes both", async () => {
    const path = join(dir, "shared.db");
    const env = { ORBITRA_HOME: join(dir, "home") };
    const opened = await openTarget({ kind: "local", environment: "dev", path }, { env });
    const keys = await opened.keys();
    assert.equal(keys, await opened.keys(), "one keys backend per opened target");
    assert.equal(keys.vaultUrl, opened.vaultUrl);
    await opened.secrets.setSecret("s", new SecretStr("v"));
    const key = await keys.createKey("k", { keyType: "EC" });
    assert.equal(key.properties.id, `${opened.vaultUrl}/keys/k/${key.properties.version}`);
    assert.deepEqual(
      (await keys.getKey("k")).key,
      key.key,
      "the key written through the keys backend is read back through the same file",
    );
    await opened.close();
    // Reopened: both kinds were written to the one file.
    const again = await openTarget({ kind: "local", environment: "dev", path }, { env });
    assert.equal((await again.secrets.getSecret("s")).value?.reveal(), "v");
    assert.equal((await (await again.keys()).getKey("k")).key.x, key.key.x);
    await again.close();
  });
});
