import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cli } from "./run.js";

// The local vault tells a person what to run; Key Vault's wire texts (a go.microsoft.com link,
// "the correct recovery command") are for `vault serve`'s clients only (test/server covers those).
describe("the local vault's messages, in orbitra's words", () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    home = mkdtempSync(join(tmpdir(), "orbitra-words-"));
    env = { ORBITRA_HOME: home };
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  const noAzureWords = (text: string) => {
    assert.doesNotMatch(text, /go\.microsoft\.com|correct recovery command|\(name\/id\)|Deleted Secret not found/);
  };

  it("a missing secret: exit 3, and how to find it among the deleted ones", async () => {
    const get = await cli(["secrets", "get", "nowhere", "-e", "local"], env);
    assert.equal(get.code, 3);
    assert.equal(get.stderr, "orbitra: Secret nowhere not found. If it was deleted, 'orbitra secrets deleted' lists it and 'orbitra secrets recover nowhere' brings it back.\n");
    const show = await cli(["secrets", "show", "nowhere", "-e", "local", "--version", "0".repeat(32)], env);
    assert.equal(show.code, 3);
    assert.match(show.stderr, /^orbitra: Secret nowhere \(version 0{32}\) not found\./);
  });

  it("versions of a missing secret is not found (exit 3), not an empty list", async () => {
    const versions = await cli(["secrets", "versions", "nowhere", "-e", "local"], env);
    assert.deepEqual([versions.code, versions.stdout], [3, ""]);
    assert.match(versions.stderr, /^orbitra: Secret nowhere not found\./);
  });

  it("a deleted name: set says recover or purge; recover of a live one says where deleted ones are", async () => {
    assert.equal((await cli(["secrets", "set", "gone", "-e", "local"], env, { input: "v" })).code, 0);
    assert.equal((await cli(["secrets", "delete", "gone", "-e", "local", "--yes"], env)).code, 0);
    const set = await cli(["secrets", "set", "gone", "-e", "local"], env, { input: "w" });
    assert.equal(set.code, 6);
    assert.match(set.stderr, /'orbitra secrets recover gone' brings it back, 'orbitra secrets purge gone' removes it for good\./);
    noAzureWords(set.stderr);
    assert.equal((await cli(["secrets", "recover", "gone", "-e", "local"], env)).code, 0);
    const again = await cli(["secrets", "recover", "gone", "-e", "local"], env);
    assert.equal(again.code, 3);
    assert.equal(again.stderr, "orbitra: No deleted secret named gone; 'orbitra secrets deleted' lists the deleted secrets.\n");
  });

  it("a disabled version: how to enable it", async () => {
    assert.equal((await cli(["secrets", "set", "off", "-e", "local", "--disabled"], env, { input: "v" })).code, 0);
    const get = await cli(["secrets", "get", "off", "-e", "local"], env);
    assert.equal(get.code, 4);
    assert.match(get.stderr, /^orbitra: The latest version of off is disabled: 'orbitra secrets update off --enable' enables it\.\n$/);
  });
});
