import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { localVaultPath } from "../../src/settings/paths.js";
import { cli } from "./run.js";

describe("orbitra env list", () => {
  let home: string;
  before(() => (home = mkdtempSync(join(tmpdir(), "orbitra-env-"))));
  after(() => rmSync(home, { recursive: true, force: true }));

  it("lists local (the default) with no settings at all", async () => {
    const result = await cli(["env", "list"], { ORBITRA_HOME: home });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `* local  local store ${localVaultPath({ ORBITRA_HOME: home })}\n`);
  });

  it("lists configured environments with their vaults, the default starred, in JSON too", async () => {
    const env = {
      ORBITRA_HOME: home,
      ORBITRA_ENVIRONMENT: "staging",
      ORBITRA_KEY_VAULT_STAGING: "https://stg-vault.vault.azure.net",
      ORBITRA_KEY_VAULT_PROD: "prod-vault",
    };
    const text = await cli(["env", "list"], env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^\* staging\s+https:\/\/stg-vault\.vault\.azure\.net\/?$/m);
    assert.match(text.stdout, /^ {2}prod\s+https:\/\/prod-vault\.vault\.azure\.net\/?$/m);
    const json = JSON.parse((await cli(["env", "list", "--json"], env)).stdout) as { name: string; default: boolean; vault?: string }[];
    assert.deepEqual(json.map((e) => e.name), ["local", "prod", "staging"]);
    assert.deepEqual(json.filter((e) => e.default).map((e) => e.name), ["staging"]);
  });

  it("shows a default environment that nothing configures as unusable, rather than hiding it", async () => {
    const result = await cli(["env", "list"], { ORBITRA_HOME: home, ORBITRA_ENVIRONMENT: "typo" });
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^\* typo\s+\(unusable: No vault is configured for environment 'typo'/m);
  });
});
