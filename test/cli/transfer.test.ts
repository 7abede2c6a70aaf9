import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse as dotenvParse } from "dotenv";
import { cli } from "./run.js";

const TRICKY: Record<string, string> = {
  "pem-key": "-----BEGIN PRIVATE KEY-----\nMIIB\r\nabc==\n-----END PRIVATE KEY-----\n",
  dollars: "a$b${c}$(d)`e`",
  quotes: `it's "quoted" \\ back\\slash`,
  equals: "a=b=c # not a comment",
  unicode: "caf\u00e9 \u4e2d\u6587 \ud83d\udd11",
  spaces: "  padded  ",
};

describe("secrets export / import / diff / copy", () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    home = mkdtempSync(join(tmpdir(), "orbitra-transfer-"));
    env = { ORBITRA_HOME: home, ORBITRA_KEY_VAULT_STAGE: `local:${join(home, "stage", "vault.db")}` };
    for (const [name, value] of Object.entries(TRICKY)) {
      assert.equal((await cli(["secrets", "set", name, "--keep-newline"], env, { input: value })).code, 0);
    }
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  for (const format of ["dotenv", "json", "shell"] as const) {
    it(`round-trips byte for byte through ${format} export then import`, async () => {
      const file = join(home, `out.${format}`);
      const exported = await cli(["secrets", "export", "--format", format, "-o", file], env);
      assert.equal(exported.code, 0, exported.stderr);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(exported.stdout.includes("BEGIN PRIVATE"), false);
      if (format === "shell") return; // shell output is for `source`/`eval`; importing it is not offered
      const target = { ...env, ORBITRA_HOME: join(home, `import-${format}`) };
      const imported = await cli(["secrets", "import", "--file", file, "--format", format], target);
      assert.equal(imported.code, 0, imported.stderr);
      for (const [name, value] of Object.entries(TRICKY)) {
        const got = await cli(["secrets", "get", name], target);
        assert.equal(got.stdout === value, true, `${name} changed through ${format}`);
      }
    });
  }

  it("writes dotenv the dotenv package reads back exactly", async () => {
    const out = await cli(["secrets", "export"], env);
    const parsed = dotenvParse(out.stdout);
    for (const [name, value] of Object.entries(TRICKY)) {
      const variable = name.toUpperCase().replace(/-/g, "_");
      assert.equal(parsed[variable] === value, true, `${variable} differs under dotenv.parse`);
    }
  });

  it("refuses the docker format for a multiline value, naming the variable and not the value", async () => {
    const out = await cli(["secrets", "export", "--format", "docker"], env);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /PEM_KEY/);
    assert.equal(out.stderr.includes("BEGIN PRIVATE"), false);
    assert.equal(out.stdout, "", "nothing half-written");
  });

  it("imports with --dry-run and an overwrite policy, reporting each item", async () => {
    const file = join(home, "in.env");
    writeFileSync(file, "DOLLARS=changed\nNEW_ONE=fresh\n");
    const dry = await cli(["secrets", "import", "--file", file, "--dry-run", "--overwrite", "changed"], env);
    assert.match(dry.stdout, /would-update\s+dollars/);
    assert.match(dry.stdout, /would-create\s+new-one/);
    assert.equal((await cli(["secrets", "get", "new-one"], env)).code, 3, "dry run wrote nothing");
    const never = await cli(["secrets", "import", "--file", file], env);
    assert.match(never.stdout, /skip\s+dollars/);
    assert.match(never.stdout, /create\s+new-one/);
    assert.equal((await cli(["secrets", "get", "dollars"], env)).stdout === TRICKY.dollars, true);
    const changed = await cli(["secrets", "import", "--file", file, "--overwrite", "changed", "--json"], env);
    assert.deepEqual(JSON.parse(changed.stdout).items, [
      { name: "dollars", action: "update" },
      { name: "new-one", action: "unchanged" },
    ]);
    await cli(["secrets", "set", "dollars", "--keep-newline"], env, { input: TRICKY.dollars! });
  });

  it("refuses a file with an invalid name before writing anything", async () => {
    const file = join(home, "bad.json");
    writeFileSync(file, JSON.stringify({ "good-one": "v", bad_name: "v" }));
    const out = await cli(["secrets", "import", "--file", file], env);
    assert.equal(out.code, 2);
    assert.equal((await cli(["secrets", "get", "good-one"], env)).code, 3);
  });

  it("diffs environments by name and value equality, never printing values; copy promotes", async () => {
    await cli(["secrets", "set", "only-stage", "-e", "stage"], env, { input: "s" });
    await cli(["secrets", "set", "quotes", "-e", "stage"], env, { input: "different" });
    await cli(["secrets", "set", "equals", "-e", "stage", "--keep-newline"], env, { input: TRICKY.equals! });
    const diff = await cli(["secrets", "diff", "--from", "local", "--to", "stage"], env);
    assert.equal(diff.code, 0, diff.stderr);
    assert.match(diff.stdout, /^\+ only-stage$/m);
    assert.match(diff.stdout, /^~ quotes$/m);
    assert.match(diff.stdout, /^- pem-key$/m);
    assert.doesNotMatch(diff.stdout, /equals/, "equal values are not listed");
    for (const value of [...Object.values(TRICKY), "different"]) assert.equal(diff.stdout.includes(value.trim()), false);

    assert.equal((await cli(["secrets", "copy", "--from", "local", "--to", "stage", "pem-key"], env)).code, 2, "needs --yes off a terminal");
    const copy = await cli(["secrets", "copy", "--from", "local", "--to", "stage", "pem-key", "quotes", "--yes", "--overwrite", "changed"], env);
    assert.equal(copy.code, 0, copy.stderr);
    assert.equal((await cli(["secrets", "get", "pem-key", "-e", "stage"], env)).stdout === TRICKY["pem-key"], true);
    assert.equal((await cli(["secrets", "get", "quotes", "-e", "stage"], env)).stdout === TRICKY.quotes, true);
    assert.equal(readFileSync(join(home, "stage", "vault.key")).length, 32);
  });
});
