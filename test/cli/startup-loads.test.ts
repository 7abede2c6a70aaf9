import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { BIN, freshBin } from "../helpers/fresh-bin.js";

// Start-up regressed ~2x when keys and certificates came: every command of the whole CLI ran the
// module init of node-forge, @noble/curves, node:tls (which parses Node's root certificates) and
// the rest (bench/README.md "CLI start-up"). These tests pin down what a command must not load,
// through the shipped bin and its code cache. Not timed: what ran, not how long it took.
const bin = freshBin() ?? BIN;

interface CoverageFile {
  result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[];
}

/**
 * What a run of the bin ran code of, from V8's own coverage (NODE_V8_COVERAGE): each script by its
 * URL (`node:tls`, `file:///.../node_modules/node-forge/lib/pki.js`), and inside the bundles each
 * module whose init ran: esbuild names a module's init function by its path
 * (`node_modules/@noble/curves/nist.js`, `src/store/local-vault.ts`).
 */
function ranCodeOf(home: string, args: string[], input = ""): string[] {
  const dir = mkdtempSync(join(tmpdir(), "orbitra-coverage-"));
  try {
    const result = spawnSync(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH, ORBITRA_HOME: home, NODE_V8_COVERAGE: dir },
      input,
      encoding: "utf8",
    });
    assert.equal(result.status, 0, result.stderr);
    const ran = new Set<string>();
    for (const file of readdirSync(dir)) {
      for (const script of (JSON.parse(readFileSync(join(dir, file), "utf8")) as CoverageFile).result) {
        for (const fn of script.functions) {
          if (fn.ranges[0]!.count === 0) continue;
          ran.add(script.url);
          if (/^(src|node_modules)\//.test(fn.functionName)) ran.add(fn.functionName);
        }
      }
    }
    return [...ran];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The heavy parts no command needs until it signs, parses a PFX or talks to Key Vault. */
const HEAVY = /@noble\/|node-forge|@peculiar|@azure|^node:(tls|https)$/;
const heavyIn = (ran: string[]) => ran.filter((what) => HEAVY.test(what));

describe("what the bundled bin loads at start", { skip: existsSync(bin) ? false : "dist/ not built (npm run build)" }, () => {
  let home: string;
  const run = (args: string[], input = "") => spawnSync(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH, ORBITRA_HOME: home }, input, encoding: "utf8" });

  before(() => {
    home = mkdtempSync(join(tmpdir(), "orbitra-loads-"));
    for (const args of [["secrets", "set", "loaded", "-e", "local"], ["keys", "create", "ec", "--type", "EC", "-e", "local"], ["certs", "create", "site", "-e", "local"]]) {
      const result = run(args, "value");
      assert.equal(result.status, 0, result.stderr);
    }
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it("--help runs no crypto, certificate, store or client code, nor node:crypto or node:child_process", () => {
    const ran = ranCodeOf(home, ["--help"]);
    assert.ok(ran.includes("node_modules/commander/lib/command.js"), "the check sees the bundle's modules");
    assert.deepEqual(heavyIn(ran), []);
    assert.deepEqual(ran.filter((what) => /^src\/(store|client|server)\/|^node:(crypto|child_process)$/.test(what)), []);
  });

  it("secrets list on the local vault loads neither node-forge, @noble/curves nor node:tls", () => {
    const ran = ranCodeOf(home, ["secrets", "list", "-e", "local"]);
    assert.ok(ran.includes("src/store/local-vault.ts"), "the check sees the store open");
    assert.deepEqual(heavyIn(ran), []);
  });

  it("keys list and certs list do not either", () => {
    assert.deepEqual(heavyIn(ranCodeOf(home, ["keys", "list", "-e", "local"])), []);
    assert.deepEqual(heavyIn(ranCodeOf(home, ["certs", "list", "-e", "local"])), []);
  });

  // The same check sees them where they are needed: the tests above cannot pass by seeing nothing.
  it("an EC signature loads @noble/curves, a PFX download node-forge", () => {
    assert.ok(ranCodeOf(home, ["keys", "sign", "ec", "-a", "ES256", "--encoding", "base64url", "-e", "local"], "data").some((what) => /(^|\/)node_modules\/@noble\/curves\//.test(what)));
    const out = join(home, "site.pfx");
    assert.ok(ranCodeOf(home, ["certs", "download", "site", "--format", "pfx", "-o", out, "-e", "local"]).some((what) => /(^|\/)node_modules\/node-forge\//.test(what)));
  });

  // One non-ASCII character (in a comment: esbuild escapes them in code) makes V8 hold the whole
  // bundle as a two-byte string, ~20 M instructions more per start for the full one.
  it("the bundles are ASCII", () => {
    for (const file of readdirSync(dirname(bin)).filter((f) => f.endsWith(".cjs"))) {
      const at = readFileSync(join(dirname(bin), file), "latin1").search(/[\u0080-\uffff]/);
      assert.equal(at, -1, `${file} has a non-ASCII byte at ${at}`);
    }
  });
});
