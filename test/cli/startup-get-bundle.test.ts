import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { BIN, freshBin } from "../helpers/fresh-bin.js";

// `secrets get` runs dist/bin/orbitra-get.cjs (src/cli/startup-loader.ts). Keys and certificates
// code (key generation, X.509, node-forge, @noble/curves) once rode along in it, 1 MB of bundle
// whose module init cost more than the get itself; scripts/bundle-cli.mjs stubs those modules out.
const bin = freshBin() ?? BIN;

describe("the secrets get bundle", { skip: existsSync(bin) ? false : "dist/ not built (npm run build)" }, () => {
  let home: string;
  let hook: string;
  const run = (args: string[], input = "", preload: string[] = []) =>
    spawnSync(process.execPath, [...preload, bin, ...args], { env: { PATH: process.env.PATH, ORBITRA_HOME: home }, input, encoding: "utf8" });

  before(() => {
    home = mkdtempSync(join(tmpdir(), "orbitra-get-bundle-"));
    // Records every id the process asks `require` for (the bundles get the loader's own require).
    hook = join(home, "record-requires.cjs");
    writeFileSync(
      hook,
      `const Module = require("node:module");
const original = Module.prototype.require;
const ids = new Set();
Module.prototype.require = function (id) { ids.add(id); return original.apply(this, arguments); };
process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(join(home, "requires.json"))}, JSON.stringify([...ids])));
`,
    );
    assert.equal(run(["secrets", "set", "plain", "-e", "local"], "value-1").status, 0);
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it("holds no keys, certificates, X.509 or key-crypto code", () => {
    const source = readFileSync(join(dirname(bin), "orbitra-get.cjs"), "utf8");
    // esbuild heads each bundled module with a `// path` comment.
    const modules = [...source.matchAll(/^\/\/ ((?:src|node_modules)\/\S+)$/gm)].map((m) => m[1]!);
    assert.ok(modules.includes("src/store/secrets/repository.ts"), "the comments name the bundled modules");
    const unwanted = modules.filter((m) =>
      /^(node_modules\/(node-forge|@noble)\/|src\/(x509|crypto)\/|src\/store\/(keys|certificates)\/(?!queries\.ts$)|src\/backends\/(keys|certificates)-)/.test(m),
    );
    assert.deepEqual(unwanted, []);
  });

  it("reads a certificate's secret (its PFX) from a vault that holds keys and certificates", () => {
    assert.equal(run(["certs", "create", "web", "--subject", "CN=web", "-e", "local"]).status, 0);
    const got = run(["secrets", "get", "web", "-e", "local"]);
    assert.equal(got.status, 0, got.stderr);
    assert.ok(Buffer.from(got.stdout, "base64").length > 1000, "a PFX, base64");
  });

  it("reads a value without asking require for node-forge's crypto or any Azure package", () => {
    const got = run(["secrets", "get", "plain", "-e", "local"], "", ["-r", hook]);
    assert.deepEqual([got.status, got.stdout, got.stderr], [0, "value-1", ""]);
    const ids = JSON.parse(readFileSync(join(home, "requires.json"), "utf8")) as string[];
    assert.ok(ids.includes("node:sqlite"), `the hook saw the bundle's requires: ${ids.join(", ")}`);
    assert.deepEqual(
      ids.filter((id) => !id.startsWith("node:")),
      [],
      "only Node's built-ins, by their node: names (node-forge asks for a bare 'crypto')",
    );
  });
});
