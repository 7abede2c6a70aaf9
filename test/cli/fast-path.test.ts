import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { parseFastGet } from "../../src/cli/fast-path.js";
import { cli } from "./run.js";

describe("secrets get fast path: parseFastGet", () => {
  it("accepts the usual spellings", () => {
    assert.deepEqual(parseFastGet(["secrets", "get", "db"]), { positional: "db", options: {} });
    assert.deepEqual(parseFastGet(["secrets", "get", "db", "--environment", "local"]), {
      positional: "db",
      options: { environment: "local" },
    });
    assert.deepEqual(
      parseFastGet(["--debug", "secrets", "get", "--name=db", "-e", "prod", "--key-vault", "local:/x", "--version", "ab", "--json"]),
      { options: { debug: true, name: "db", environment: "prod", keyVault: "local:/x", version: "ab", json: true } },
    );
    assert.deepEqual(parseFastGet(["secrets", "get", "db", "--env", "dev"]), { positional: "db", options: { env: "dev" } });
  });

  it("leaves everything else to commander", () => {
    const declined = [
      [],
      ["secrets"],
      ["secrets", "list"],
      ["--version"],
      ["secrets", "get", "--help"],
      ["secrets", "get", "-h"],
      ["secrets", "get", "a", "b"], // too many arguments
      ["secrets", "get", "a", "--bogus"],
      ["secrets", "get", "a", "--json=yes"],
      ["secrets", "get", "a", "-e"], // missing value
      ["secrets", "get", "a", "-e", "--json"], // value that looks like a flag
      ["secrets", "get", "a", "-e", "x", "--environment", "y"], // repeated: commander's last-wins
      ["secrets", "get", "a", "-elocal"], // combined short flag
      ["secrets", "get", "--", "a"],
      ["secrets", "get", "-"],
      ["-e", "local", "secrets", "get", "a"],
      ["secrets", "--debug", "get", "a"],
    ];
    for (const argv of declined) assert.equal(parseFastGet(argv), undefined, argv.join(" "));
  });
});

describe("secrets get: fast path and commander agree", () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let version: string;
  before(async () => {
    home = mkdtempSync(join(tmpdir(), "orbitra-fast-"));
    env = { ORBITRA_HOME: home };
    await cli(["secrets", "set", "present"], env, { input: "fast-value" });
    await cli(["secrets", "set", "off", "--disabled"], env, { input: "x" });
    version = (JSON.parse((await cli(["secrets", "show", "present", "--json"], env)).stdout) as { version: string }).version;
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  // Stack frames (with --debug) name different functions on the two paths; everything else must match.
  const strip = (text: string) => text.replace(/^\s+at .*\n/gm, "");

  it("on the same argv: same exit code, stdout and stderr", async () => {
    const tokens = [
      "present", "absent", "off", "bad_name", "", "--name", "--name=present", "-e", "--environment", "--environment=local",
      "--env", "local", "nope", "--json", "--debug", "--version", version, "--key-vault", `local:${join(home, "other.db")}`,
      "--key-vault=http://x", "--bogus", "--", "-", "-elocal", "--help",
    ];
    let fast = 0;
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(fc.constantFrom(...tokens), { maxLength: 6 }), async (rootDebug, rest) => {
        const argv = [...(rootDebug ? ["--debug"] : []), "secrets", "get", ...rest];
        if (parseFastGet(argv)) fast++;
        const viaFast = await cli(argv, env);
        const viaCommander = await cli(argv, env, { fastPath: false });
        assert.equal(viaFast.code, viaCommander.code, argv.join(" "));
        assert.equal(viaFast.stdout, viaCommander.stdout, argv.join(" "));
        assert.equal(strip(viaFast.stderr), strip(viaCommander.stderr), argv.join(" "));
      }),
      { numRuns: 200 },
    );
    assert.ok(fast > 40, `the fast path was taken in ${fast} of 200 runs`);
  });
});
