import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { freshBin } from "../helpers/fresh-bin.js";

// The real executable as users run it: the bundled bin when built (npm ci builds it), else the sources.
const root = join(import.meta.dirname, "..", "..");
const bundled = freshBin();
const command = bundled ? [bundled] : ["--import", "tsx", join(root, "src", "cli", "main.ts")];

describe(`orbitra as a process (${bundled ? "dist/bin/orbitra.cjs" : "sources via tsx"})`, () => {
  let home: string;
  before(() => (home = mkdtempSync(join(tmpdir(), "orbitra-proc-"))));
  after(() => rmSync(home, { recursive: true, force: true }));

  const run = (args: string[], input?: string) =>
    spawnSync(process.execPath, [...command, ...args], {
      env: { PATH: process.env.PATH, ORBITRA_HOME: home },
      cwd: home,
      input: input ?? "",
      encoding: "utf8",
    });

  it("pipes a value in through stdin and gets it back, exit 0", () => {
    const value = "process-value-\u00e9\u4e2d-$HOME-'\"";
    const set = run(["secrets", "set", "proc-secret", "-e", "local"], `${value}\n`);
    assert.equal(set.status, 0, set.stderr);
    assert.equal(set.stdout.includes(value), false);
    const get = run(["secrets", "get", "proc-secret", "--environment", "local"]);
    assert.equal(get.status, 0, get.stderr);
    assert.equal(get.stdout === value, true);
  });

  it("exits 3 on a missing secret with one line on stderr and nothing on stdout", () => {
    const result = run(["secrets", "get", "missing-one"]);
    assert.equal(result.status, 3);
    assert.equal(result.stdout, "");
    assert.equal(result.stderr.trim().split("\n").length, 1);
    assert.match(result.stderr, /^orbitra: Secret missing-one not found\. .*orbitra secrets recover missing-one/);
  });

  it("exits 5 on an unknown environment; with --json the error is one JSON line", () => {
    const result = run(["secrets", "get", "proc-secret", "-e", "nope", "--json"]);
    assert.equal(result.status, 5);
    assert.equal(result.stdout, "");
    assert.equal((JSON.parse(result.stderr) as { error: { code: string } }).error.code, "Configuration");
  });

  it("exits 2 on a usage error (one line) and 0 on --help", () => {
    const usage = run(["secrets", "get", "--nope"]);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /^orbitra: unknown option '--nope'[^\n]*\. Run 'orbitra secrets get --help' for usage\.\n$/);
    const help = run(["secrets", "set", "--help"]);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Examples:/);
  });
});
