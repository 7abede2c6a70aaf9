import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cli } from "./run.js";

const CANARY = "cli-canary-4b7d2e-never-printed";

describe("orbitra secrets (in-process, local environment)", () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    home = mkdtempSync(join(tmpdir(), "orbitra-cli-"));
    env = { ORBITRA_HOME: home };
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it("sets from stdin (one trailing newline dropped) and gets the raw value back", async () => {
    const set = await cli(["secrets", "set", "db-password", "-e", "local"], env, { input: `${CANARY}\n` });
    assert.equal(set.code, 0, set.stderr);
    const get = await cli(["secrets", "get", "db-password", "-e", "local"], env);
    assert.equal(get.code, 0);
    assert.equal(get.stdout === CANARY, true, "get prints exactly the value, no newline when not a terminal");
  });

  it("keeps the newline with --keep-newline and takes a file byte for byte", async () => {
    await cli(["secrets", "set", "--name", "with-nl", "--keep-newline"], env, { input: "line\n" });
    assert.equal((await cli(["secrets", "get", "with-nl"], env)).stdout, "line\n");
    const file = join(home, "value.pem");
    writeFileSync(file, "-----BEGIN KEY-----\r\nabc\n-----END KEY-----\n");
    await cli(["secrets", "set", "pem", "--file", file, "--content-type", "application/x-pem-file"], env);
    assert.equal((await cli(["secrets", "get", "pem"], env)).stdout, readFileSync(file, "utf8"));
  });

  it("never shows the value outside `get`", async () => {
    await cli(["secrets", "set", "leak-check", "--tag", "owner=team"], env, { input: CANARY });
    const outputs = [
      await cli(["secrets", "show", "leak-check"], env),
      await cli(["secrets", "show", "leak-check", "--json"], env),
      await cli(["secrets", "list"], env),
      await cli(["secrets", "list", "--json"], env),
      await cli(["secrets", "versions", "leak-check", "--json"], env),
      await cli(["secrets", "update", "leak-check", "--content-type", "text/plain", "--json"], env),
      await cli(["secrets", "set", "leak-check", "--json"], env, { input: CANARY }),
      await cli(["secrets", "backup", "leak-check", "-o", join(home, "leak.backup")], env),
      await cli(["secrets", "delete", "leak-check", "--json"], env),
      await cli(["secrets", "deleted", "--json"], env),
      await cli(["secrets", "recover", "leak-check"], env),
      await cli(["secrets", "set", "leak-check", "--value", CANARY], env),
      await cli(["secrets", "get", "leak_check"], env),
      await cli(["--help"], env),
      await cli(["secrets", "set", "--help"], env),
    ];
    for (const [i, out] of outputs.entries()) {
      assert.equal((out.stdout + out.stderr).includes(CANARY), false, `output ${i} shows the value`);
    }
    assert.equal(readFileSync(join(home, "leak.backup")).includes(Buffer.from(CANARY)), false);
    assert.equal(statSync(join(home, "leak.backup")).mode & 0o777, 0o600);
    assert.match(outputs[11]!.stderr, /warning: --value puts the secret in your shell history/);
  });

  it("shows, versions, updates, disables and re-enables", async () => {
    await cli(["secrets", "set", "rot"], env, { input: "a" });
    await cli(["secrets", "set", "rot"], env, { input: "b" });
    const versions = JSON.parse((await cli(["secrets", "versions", "rot", "--json"], env)).stdout) as { version: string }[];
    assert.equal(versions.length, 2);
    assert.equal((await cli(["secrets", "get", "rot", "--version", versions[0]!.version], env)).stdout, "a");
    assert.equal((await cli(["secrets", "update", "rot", "--disable"], env)).code, 0);
    const denied = await cli(["secrets", "get", "rot"], env);
    assert.equal(denied.code, 4);
    const shown = JSON.parse((await cli(["secrets", "show", "rot", "--json"], env)).stdout) as { enabled: boolean };
    assert.equal(shown.enabled, false);
    await cli(["secrets", "update", "rot", "--enable", "--tag", "k=v", "--expires", "2030-01-01"], env);
    const props = JSON.parse((await cli(["secrets", "show", "rot", "--json"], env)).stdout) as { tags: object; expiresOn: string };
    assert.deepEqual(props.tags, { k: "v" });
    assert.equal(props.expiresOn, "2030-01-01T00:00:00.000Z");
  });

  it("deletes, lists deleted, recovers, purges (with --yes only when not on a terminal)", async () => {
    await cli(["secrets", "set", "temp"], env, { input: "t" });
    assert.equal((await cli(["secrets", "delete", "temp"], env)).code, 0);
    assert.match((await cli(["secrets", "deleted"], env)).stdout, /^temp\s+deleted/m);
    assert.equal((await cli(["secrets", "set", "temp"], env, { input: "x" })).code, 6, "name held by a deleted secret");
    assert.equal((await cli(["secrets", "recover", "temp"], env)).code, 0);
    await cli(["secrets", "delete", "temp"], env);
    const refused = await cli(["secrets", "purge", "temp"], env);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--yes/);
    assert.equal((await cli(["secrets", "purge", "temp", "--yes"], env)).code, 0);
    assert.equal((await cli(["secrets", "recover", "temp"], env)).code, 3);
  });

  it("backs up and restores through files", async () => {
    await cli(["secrets", "set", "bk"], env, { input: "payload" });
    const file = join(home, "bk.backup");
    assert.equal((await cli(["secrets", "backup", "bk", "--output", file], env)).code, 0);
    assert.equal((await cli(["secrets", "backup", "bk", "--output", file], env)).code, 2, "refuses to overwrite");
    await cli(["secrets", "delete", "bk"], env);
    await cli(["secrets", "purge", "bk", "--yes"], env);
    assert.equal((await cli(["secrets", "restore", "--file", file], env)).code, 0);
    assert.equal((await cli(["secrets", "get", "bk"], env)).stdout, "payload");
  });

  it("lists names sorted, and properties with --json", async () => {
    const list = await cli(["secrets", "list"], env);
    const names = list.stdout.trim().split("\n");
    assert.deepEqual(names, [...names].sort());
    assert.ok(names.includes("db-password"));
  });
});
