import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import type { Command } from "commander";
import { buildProgram } from "../../src/cli/build-program.js";
import { addObjectCommand } from "../../src/cli/command-builder.js";
import type { CliContext } from "../../src/cli/context.js";
import { GET } from "../../src/cli/commands/secrets-get.js";
import { fastFlags, GET_FLAGS, parseFastGet, type FastFlag } from "../../src/cli/fast-path.js";
import { flagsOf } from "../../src/cli/command-declaration.js";
import { freshBin } from "../helpers/fresh-bin.js";
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

/** What the fast path must know of a commander command's flags: each plain one, by long and short name. */
function commanderFlags(command: Command): Map<string, FastFlag> {
  const table = new Map<string, FastFlag>();
  for (const o of command.options) {
    if (o.mandatory || o.variadic || o.negate || o.optional || o.parseArg) continue;
    const flag = { key: o.attributeName(), valued: o.required };
    if (o.long) table.set(o.long, flag);
    if (o.short) table.set(o.short, flag);
  }
  return table;
}

describe("secrets get fast path: one declaration of the flags", () => {
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const ctx = { stdout: sink, stderr: sink, stdin: process.stdin, env: {}, cwd: "/" } as unknown as CliContext;

  it("knows exactly the flags of the commander command, and reads them as commander does", () => {
    const secrets = buildProgram(ctx).commands.find((c) => c.name() === "secrets")!;
    const get = secrets.commands.find((c) => c.name() === "get")!;
    assert.deepEqual(new Map([...GET_FLAGS].sort()), new Map([...commanderFlags(get)].sort()));
    assert.deepEqual([...GET_FLAGS.keys()].sort(), ["--debug", "--env", "--environment", "--json", "--key-vault", "--name", "--version", "-e"]);
  });

  it("leaves out flags it cannot parse as commander would (repeatable, required, negated, optional value)", () => {
    const spec = {
      ...GET,
      flags: [
        { flags: "--tag <t>", description: "", repeatable: true },
        { flags: "-o, --output <file>", description: "", required: true },
        { flags: "--no-color", description: "" },
        { flags: "--level [n]", description: "" },
        { flags: "-q, --quiet-mode", description: "" },
      ],
    };
    const table = fastFlags(flagsOf(spec));
    for (const flag of ["--tag", "-o", "--output", "--no-color", "--level"]) assert.equal(table.has(flag), false, flag);
    assert.deepEqual(table.get("-q"), { key: "quietMode", valued: false });
    // The same declaration through commander: the plain flags agree there too.
    const parent = buildProgram(ctx);
    const built = addObjectCommand(parent, { ...spec, command: "probe" }, ctx);
    assert.deepEqual(new Map([...table].sort()), new Map([...commanderFlags(built)].sort()));
  });

  it("the get bundle has no commander, and the loader only the declaration", { skip: freshBin() ? false : "dist/ not built" }, () => {
    const bundled = (file: string) => readFileSync(join(dirname(freshBin()!), file), "utf8").match(/^\/\/ (src|node_modules)\/\S+/gm) ?? ([] as string[]);
    const get = bundled("orbitra-get.cjs");
    assert.ok(get.includes("// src/cli/commands/secrets-get.ts"), "esbuild names the files it bundled");
    assert.deepEqual(get.filter((f) => f.includes("commander")), []);
    assert.ok(bundled("orbitra-full.cjs").some((f) => f.includes("node_modules/commander/")), "the check can see commander");
    // The loader runs parseFastGet before either bundle: the declaration must not drag the client in.
    assert.deepEqual([...new Set(bundled("orbitra.cjs"))].sort(), [
      "// src/cli/command-declaration.ts",
      "// src/cli/commands/secrets-get-declaration.ts",
      "// src/cli/fast-path.ts",
      "// src/cli/startup-code-cache.ts",
      "// src/cli/startup-loader.ts",
      "// src/settings/paths.ts",
    ]);
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
