import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { fnv1a64 } from "../../src/cli/startup-code-cache.js";
import { BIN, freshBin } from "../helpers/fresh-bin.js";

// The shipped bin is a loader (src/cli/startup-loader.ts) that runs one of two bundles with a V8
// code cache kept in $ORBITRA_HOME/cache/v8. Whatever state that cache is in, the CLI must behave.
const bin = freshBin() ?? BIN;

describe("start-up code cache of the bundled bin", { skip: existsSync(bin) ? false : "dist/ not built (npm run build)" }, () => {
  let home: string;
  const cacheDir = () => join(home, "cache", "v8");
  const run = (args: string[], input = "") =>
    spawnSync(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH, ORBITRA_HOME: home }, input, encoding: "utf8" });

  // A fresh home per test (tests may run in any order); the set writes the full bundle's cache.
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "orbitra-v8cache-"));
    assert.equal(run(["secrets", "set", "cached", "-e", "local"], "value-1").status, 0);
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it("writes one cache per bundle, and reads the value the same with or without it", () => {
    const first = run(["secrets", "get", "cached", "-e", "local"]);
    assert.deepEqual([first.status, first.stdout], [0, "value-1"], first.stderr);
    const files = readdirSync(cacheDir()).sort();
    assert.deepEqual(files.map((f) => f.replace(/-[0-9a-f]+\.cache$/, "")), ["orbitra-full", "orbitra-get"]);
    for (const f of files) assert.equal(statSync(join(cacheDir(), f)).mode & 0o777, 0o600, `${f} is private`);
    const second = run(["secrets", "get", "cached", "-e", "local"]);
    assert.deepEqual([second.status, second.stdout], [0, "value-1"]);
  });

  it("exits early only after every byte is out: a 25 KB value arrives whole through a pipe", () => {
    const big = "x".repeat(24_000) + "\u00e9".repeat(400);
    assert.equal(run(["secrets", "set", "big", "-e", "local"], big).status, 0);
    const got = run(["secrets", "get", "big", "-e", "local"]);
    assert.equal(got.status, 0, got.stderr);
    assert.equal(got.stdout === big, true);
  });

  it("a new cache replaces the caches of earlier builds", () => {
    const stale = join(cacheDir(), "orbitra-get-0123456789abcdef.cache");
    writeFileSync(stale, "from an earlier build");
    for (const f of readdirSync(cacheDir())) if (f !== "orbitra-get-0123456789abcdef.cache" && f.startsWith("orbitra-get-")) rmSync(join(cacheDir(), f));
    assert.equal(run(["secrets", "get", "cached", "-e", "local"]).status, 0);
    const gets = readdirSync(cacheDir()).filter((f) => f.startsWith("orbitra-get-"));
    assert.equal(gets.length, 1);
    assert.notEqual(gets[0], "orbitra-get-0123456789abcdef.cache");
    assert.ok(readdirSync(cacheDir()).some((f) => f.startsWith("orbitra-full-")), "another bundle's cache stays");
  });

  it("a damaged cache is rejected by V8, ignored, and replaced by a good one", () => {
    for (const f of readdirSync(cacheDir())) writeFileSync(join(cacheDir(), f), "not a code cache");
    const got = run(["secrets", "get", "cached", "-e", "local"]);
    assert.deepEqual([got.status, got.stdout, got.stderr], [0, "value-1", ""]);
    const getCache = readdirSync(cacheDir()).find((f) => f.startsWith("orbitra-get-"))!;
    assert.ok(statSync(join(cacheDir(), getCache)).size > 1000, "rewritten with real code");
    const missing = run(["secrets", "get", "absent", "-e", "local"]);
    assert.equal(missing.status, 3, "errors and exit codes are unchanged");
  });

  it("a cache folder it cannot write costs nothing but the cache", { skip: process.getuid?.() === 0 ? "root writes anywhere" : false }, () => {
    rmSync(cacheDir(), { recursive: true, force: true });
    mkdirSync(join(home, "cache"), { recursive: true });
    chmodSync(join(home, "cache"), 0o500);
    try {
      const got = run(["secrets", "get", "cached", "-e", "local"]);
      assert.deepEqual([got.status, got.stdout, got.stderr], [0, "value-1", ""]);
    } finally {
      chmodSync(join(home, "cache"), 0o700);
    }
  });

  it("a cache path that is not a folder is no obstacle either", () => {
    rmSync(join(home, "cache"), { recursive: true, force: true });
    writeFileSync(join(home, "cache"), "a file where the folder would be");
    const got = run(["secrets", "get", "cached", "-e", "local"]);
    assert.deepEqual([got.status, got.stdout, got.stderr], [0, "value-1", ""]);
    const list = run(["secrets", "list", "-e", "local"]);
    assert.deepEqual([list.status, list.stdout.includes("cached\n")], [0, true]);
    rmSync(join(home, "cache"), { force: true });
  });
});

describe("the cache key", () => {
  it("is 64-bit FNV-1a (the published test vectors), 16 hex digits", () => {
    assert.equal(fnv1a64(""), "cbf29ce484222325");
    assert.equal(fnv1a64("a"), "af63dc4c8601ec8c");
    assert.equal(fnv1a64("foobar"), "85944171f73967e8");
    assert.notEqual(fnv1a64("/x/orbitra-get.cjs\u0000100"), fnv1a64("/x/orbitra-get.cjs\u0000101"));
  });
});
