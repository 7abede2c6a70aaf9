import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cli } from "./run.js";

describe("orbitra.toml mistakes are told, not swallowed", () => {
  let home: string;
  let project: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    home = mkdtempSync(join(tmpdir(), "orbitra-tomlmsg-"));
    project = mkdtempSync(join(tmpdir(), "orbitra-tomlmsg-project-"));
    env = { ORBITRA_HOME: home };
  });
  after(() => {
    rmSync(home, { recursive: true, force: true });
    rmSync(project, { recursive: true, force: true });
  });

  it("an unknown key is one warning line naming the key and the file (with the likely spelling), and the command still runs", async () => {
    const file = join(project, "orbitra.toml");
    writeFileSync(file, 'default_enviroment = "dev"\n[environments.dev]\nkeyvault = "contoso-dev"\nkey_vault = "local:dev.db"\n');
    const listed = await cli(["env", "list"], env, { cwd: project });
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(
      listed.stderr,
      `orbitra: warning: unknown key 'default_enviroment' in ${file} is ignored.\n` +
        `orbitra: warning: unknown key 'environments.dev.keyvault' in ${file} is ignored (did you mean 'environments.dev.key_vault'?).\n`,
    );
    const set = await cli(["secrets", "set", "w", "-e", "dev"], env, { cwd: project, input: "v" });
    assert.equal(set.code, 0);
    assert.equal(set.stderr.split("\n").filter((l) => l.startsWith("orbitra: warning: unknown key")).length, 2, "said once per run");
  });

  it("a TOML syntax error gives the line and the column, exit 5", async () => {
    const file = join(project, "orbitra.toml");
    writeFileSync(file, '[environments.dev]\nkey_vault = = "x"\n');
    const result = await cli(["env", "list"], env, { cwd: project });
    assert.equal(result.code, 5);
    assert.equal(result.stderr, `orbitra: Cannot read settings file ${file} at line 2, column 13: invalid value. Fix the TOML syntax or remove the file.\n`);
  });
});
