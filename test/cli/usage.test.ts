import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cli } from "./run.js";

const COMMANDS = ["get", "set", "list", "delete", "show", "versions", "update", "deleted", "recover", "purge", "backup", "restore"];

describe("usage, help and version", () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  before(() => {
    home = mkdtempSync(join(tmpdir(), "orbitra-usage-"));
    env = { ORBITRA_HOME: home };
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it("a commander usage error is one 'orbitra:' line naming the command's --help", async () => {
    const cases: [string[], RegExp][] = [
      [["secrets", "get", "x", "--bogus"], /^orbitra: unknown option '--bogus'.*\. Run 'orbitra secrets get --help' for usage\.\n$/],
      [["secrets", "frobnicate"], /^orbitra: unknown command 'frobnicate'.*\. Run 'orbitra secrets --help' for usage\.\n$/],
      [["secrets", "backup", "x"], /^orbitra: required option '-o, --output <file>' not specified\. Run 'orbitra secrets backup --help'/],
      [["secrets", "get", "a", "b"], /^orbitra: too many arguments for 'get'.*Run 'orbitra secrets get --help'/],
      [["nope"], /^orbitra: unknown command 'nope'.*Run 'orbitra --help'/],
    ];
    for (const [argv, expected] of cases) {
      const result = await cli(argv, env);
      assert.equal(result.code, 2, argv.join(" "));
      assert.equal(result.stdout, "");
      assert.match(result.stderr, expected);
      assert.equal(result.stderr.split("\n").length, 2, `one line: ${result.stderr}`);
    }
  });

  it("purge off a terminal without --yes refuses before the vault is opened, for every kind", async () => {
    for (const group of ["secrets", "keys", "certs"]) {
      const result = await cli([group, "purge", "gone", "-e", "local"], env);
      assert.equal(result.code, 2, group);
      assert.match(result.stderr, /^orbitra: Purging gone cannot be undone; pass --yes to confirm when not on a terminal\.\n$/, group);
    }
    // Refused before opening: not even the local vault's file was made.
    assert.throws(() => readFileSync(join(home, "local", "vault.db")), { code: "ENOENT" });
  });

  it("with --json, a usage error is one JSON line on stderr", async () => {
    const result = await cli(["secrets", "list", "--json", "--bogus"], env);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, "");
    const parsed = JSON.parse(result.stderr) as { error: { code: string; message: string } };
    assert.equal(parsed.error.code, "Usage");
    assert.match(parsed.error.message, /unknown option '--bogus'/);
  });

  it("no command prints the help on stderr and exits 2; --help prints it on stdout and exits 0", async () => {
    const bare = await cli([], env);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /Usage: orbitra/);
    const group = await cli(["secrets"], env);
    assert.equal(group.code, 2);
    assert.match(group.stderr, /Usage: orbitra secrets/);
    const help = await cli(["--help"], env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Exit codes: 0 ok/);
  });

  it("--version prints the package version; after a command, --version is the secret version", async () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    const result = await cli(["--version"], env);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `${pkg.version}\n`);
    const get = await cli(["secrets", "get", "absent-one", "--version", "0".repeat(32)], env);
    assert.equal(get.code, 3);
  });

  it("every secrets command has --help with examples, and no example passes --value", async () => {
    for (const command of COMMANDS) {
      const result = await cli(["secrets", command, "--help"], env);
      assert.equal(result.code, 0, command);
      const examples = result.stdout.split(/Examples?:\n/)[1];
      assert.ok(examples, `${command} --help has examples`);
      assert.doesNotMatch(examples, /--value/, `${command} example uses --value`);
      assert.match(result.stdout, /-e, --environment <env>/);
      assert.match(result.stdout, /--key-vault <vault>/);
      assert.match(result.stdout, /--json/);
    }
    const env2 = await cli(["env", "list", "--help"], env);
    assert.equal(env2.code, 0);
  });
});

describe("--help everywhere", () => {
  it("every command of the tree answers --help with its usage and a description, exit 0", async () => {
    const { buildProgram } = await import("../../src/cli/build-program.js");
    const { Writable } = await import("node:stream");
    const sink = new Writable({ write: (_c, _e, done) => done() });
    const program = buildProgram({ stdout: sink, stderr: sink, stdin: process.stdin, env: {}, cwd: process.cwd() } as never);
    const paths: string[][] = [];
    const walk = (command: typeof program, path: string[]) => {
      for (const sub of command.commands) {
        if (sub.name() === "help") continue;
        paths.push([...path, sub.name()]);
        walk(sub, [...path, sub.name()]);
      }
    };
    walk(program, []);
    assert.ok(paths.some((p) => p.join(" ") === "login") && paths.some((p) => p.join(" ") === "vault device approve"));
    for (const path of paths) {
      const result = await cli([...path, "--help"], {});
      assert.equal(result.code, 0, path.join(" "));
      assert.match(result.stdout, new RegExp(`Usage: orbitra ${path.join(" ")}`), path.join(" "));
      const description = result.stdout.split("\n").slice(1).join("\n").split(/\nOptions:|\nCommands:/)[0]!.trim();
      assert.ok(description.length > 10, `${path.join(" ")} has a description`);
    }
  });
});
