import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { exitCodeFor } from "../../src/cli/exit-codes.js";
import { reportError } from "../../src/cli/report-error.js";
import { PermissionDeniedError, ThrottledError, UnavailableError } from "../../src/core/errors.js";
import { cli } from "./run.js";

describe("exit codes are a contract", () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    home = mkdtempSync(join(tmpdir(), "orbitra-exit-"));
    env = { ORBITRA_HOME: home };
    await cli(["secrets", "set", "present"], env, { input: "v" });
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  const cases: [string, string[], number, string?][] = [
    ["ok", ["secrets", "get", "present"], 0],
    ["help", ["secrets", "get", "--help"], 0],
    ["unknown flag is usage", ["secrets", "get", "present", "--bogus"], 2],
    ["unknown command is usage", ["secrets", "frobnicate"], 2],
    ["missing name is usage", ["secrets", "get"], 2],
    ["invalid name", ["secrets", "get", "bad_name"], 2],
    ["oversize value", ["secrets", "set", "big"], 2, "x".repeat(25 * 1024 + 1)],
    ["bad date", ["secrets", "update", "present", "--expires", "someday"], 2],
    ["not found", ["secrets", "get", "absent"], 3],
    ["unknown environment is configuration", ["secrets", "get", "present", "-e", "nope"], 5],
    ["malformed key vault spec", ["secrets", "list", "--key-vault", "http://127.0.0.1:1"], 5],
    ["unreachable vault is unavailable", ["secrets", "list", "--key-vault", "https://127.0.0.1:9"], 7],
  ];

  for (const [label, args, expected, input] of cases) {
    it(`${label}: exit ${expected}`, async () => {
      const result = await cli(args, env, input === undefined ? {} : { input });
      assert.equal(result.code, expected, result.stderr);
      if (expected !== 0) {
        const lines = result.stderr.trim().split("\n");
        assert.ok(lines.length <= 2, `one line, maybe a usage hint: ${result.stderr}`);
        assert.doesNotMatch(result.stderr, /^\s+at /m, "no stack trace");
      }
    });
  }

  it("conflict (6) and permission denied (4)", async () => {
    await cli(["secrets", "set", "held"], env, { input: "v" });
    await cli(["secrets", "delete", "held"], env);
    assert.equal((await cli(["secrets", "set", "held"], env, { input: "v" })).code, 6);
    await cli(["secrets", "update", "present", "--disable"], env);
    assert.equal((await cli(["secrets", "get", "present"], env)).code, 4);
    await cli(["secrets", "update", "present", "--enable"], env);
  });

  it("bad input is refused before any write", async () => {
    const before = (await cli(["secrets", "list"], env)).stdout;
    await cli(["secrets", "set", "bad.name"], env, { input: "v" });
    await cli(["secrets", "set", "big"], env, { input: "x".repeat(30_000) });
    await cli(["secrets", "set", "tagged", "--tag", "novalue"], env, { input: "v" });
    assert.equal((await cli(["secrets", "list"], env)).stdout, before);
  });

  it("--debug adds the stack; --json makes the error a JSON line", async () => {
    const debug = await cli(["secrets", "get", "absent", "--debug"], env);
    assert.match(debug.stderr, /\n\s+at /);
    const json = await cli(["secrets", "get", "absent", "--json"], env);
    assert.deepEqual(Object.keys(JSON.parse(json.stderr).error), ["code", "message"]);
    assert.equal(JSON.parse(json.stderr).error.code, "SecretNotFound");
  });

  it("--debug prints the cause chain's stacks but never the objects (an SDK error's request body holds the value)", () => {
    let text = "";
    const sink = { write: (chunk: string) => ((text += chunk), true) };
    const ctx = { stdout: sink, stderr: sink, stdin: process.stdin, env: {}, cwd: "/" } as never;
    const sdkError = Object.assign(new Error("Forbidden"), { code: "Forbidden", request: { body: '{"value":"debug-canary-77"}' } });
    const error = new PermissionDeniedError("Not allowed to set x. Ask for the Key Vault Secrets Officer role.", { cause: sdkError, statusCode: 403 });
    assert.equal(reportError(error, ctx, { debug: true, json: false }), 4);
    assert.match(text, /^orbitra: Not allowed to set x\./);
    assert.match(text, /Caused by: Error: Forbidden\n\s+at /);
    assert.match(text, /"statusCode":403/);
    assert.equal(text.includes("debug-canary-77"), false);
  });

  it("throttled and unavailable map to 7, unknown errors to 1", () => {
    const sink = { write: () => true } as unknown as NodeJS.WritableStream;
    const ctx = { stdout: sink, stderr: sink, stdin: process.stdin, env: {}, cwd: "/" } as never;
    assert.equal(reportError(new ThrottledError("slow down"), ctx, { debug: false, json: false }), 7);
    assert.equal(reportError(new UnavailableError("down"), ctx, { debug: false, json: false }), 7);
    assert.equal(reportError(new Error("boom"), ctx, { debug: false, json: false }), 1);
    assert.equal(exitCodeFor("Authentication"), 4);
    assert.equal(exitCodeFor("SecretResolution"), 5);
  });
});
