import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { getKeysClient } from "../../src/client/get-keys-client.js";
import { getSecretsClient } from "../../src/client/get-secrets-client.js";
import { getKeysClient as exported, OrbitraKeysClient } from "../../src/index.js";

describe("getKeysClient: the secrets client's resolution, for keys", () => {
  let home: string;
  let project: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), "orbitra-keys-client-"));
    project = mkdtempSync(join(tmpdir(), "orbitra-keys-client-project-"));
  });
  after(() => {
    rmSync(home, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  });

  it("resolves the same target as getSecretsClient: options, positional form, settings' default, ORBITRA_ENVIRONMENT", () => {
    writeFileSync(join(project, "orbitra.toml"), 'default_environment = "scratch"\n[environments.scratch]\nkey_vault = "local:scratch.db"\n');
    const env = { ORBITRA_HOME: home };
    for (const options of [{ cwd: project, env }, { cwd: project, env: { ...env, ORBITRA_ENVIRONMENT: "local" } }, { cwd: project, env, keyVault: "https://kv.vault.azure.net" }]) {
      assert.deepEqual(getKeysClient(options).target, getSecretsClient(options).target);
    }
    assert.equal(getKeysClient("https://other.vault.azure.net", "prod").target.kind, "azure");
    assert.equal(exported, getKeysClient, "exported from the package entry");
    assert.ok(getKeysClient({ cwd: project, env }) instanceof OrbitraKeysClient);
  });

  it("an environment nobody configured is a Configuration error naming it, thrown at once", () => {
    assert.throws(() => getKeysClient({ environment: "nowhere", cwd: project, env: { ORBITRA_HOME: home } }), (e: Error & { code?: string }) =>
      e.code === "Configuration" && /nowhere/.test(e.message),
    );
  });

  it("opens nothing until the first call; a read of a named missing vault does not create it; close, then reuse, reopens", async () => {
    const path = join(home, "lazy.db");
    const client = getKeysClient({ keyVault: `local:${path}`, env: { ORBITRA_HOME: home }, cwd: project });
    assert.equal(existsSync(path), false);
    await assert.rejects(client.getKey("k"), { code: "Configuration" });
    assert.equal(existsSync(path), false, "a read does not make a vault at a path the user named");
    const created = await client.createEcKey("k");
    await client.close();
    assert.equal((await client.getKey("k")).key.x, created.key.x, "reopened after close");
    await assert.rejects(client.getKey("other"), { code: "KeyNotFound", kind: "key", objectName: "other", message: /orbitra keys deleted/ });
    await client.close();
  });
});
