import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { getCredential } from "../../src/auth/get-credential.js";
import { getSecretsClient } from "../../src/client/get-secrets-client.js";
import { cli } from "../cli/run.js";

// One rule for the library and the CLI: an explicit environment, else ORBITRA_ENVIRONMENT, else
// default_environment; only the last fallback differs: `prod` for the library (the Python
// original's), `local` for the CLI (a first command needs no setup).
describe("which environment is used when none is given", () => {
  let home: string;
  let project: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), "orbitra-defenv-"));
    project = mkdtempSync(join(tmpdir(), "orbitra-defenv-project-"));
  });
  after(() => {
    rmSync(home, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  });

  it("getSecretsClient() honours ORBITRA_ENVIRONMENT, then default_environment; an explicit one wins", () => {
    writeFileSync(join(project, "orbitra.toml"), 'default_environment = "scratch"\n[environments.scratch]\nkey_vault = "local:scratch.db"\n');
    const env = { ORBITRA_HOME: home };
    assert.equal(getSecretsClient({ cwd: project, env }).target.environment, "scratch");
    assert.equal(getSecretsClient({ cwd: project, env: { ...env, ORBITRA_ENVIRONMENT: "local" } }).target.environment, "local");
    assert.equal(getSecretsClient({ cwd: project, env: { ...env, ORBITRA_ENVIRONMENT: "local" }, environment: "scratch" }).target.environment, "scratch");
    rmSync(join(project, "orbitra.toml"));
  });

  it("with neither, the library means prod (and says prod is not configured); the CLI means local", async () => {
    const env = { ORBITRA_HOME: home };
    assert.throws(() => getSecretsClient({ cwd: project, env }), (error: Error & { code?: string }) => error.code === "Configuration" && /'prod'/.test(error.message));
    assert.equal(getSecretsClient({ cwd: project, env: { ...env, ORBITRA_ENVIRONMENT: "local" } }).target.kind, "local");
    const listed = await cli(["env", "list"], env, { cwd: project });
    assert.match(listed.stdout, /^\* local /m);
  });

  it("getCredential() follows the same rule", async () => {
    await assert.rejects(getCredential({ cwd: project, env: { ORBITRA_HOME: home, ORBITRA_ENVIRONMENT: "local" } }), /Environment 'local' uses the embedded local store/);
  });
});
