import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, describe, it } from "node:test";
import { isOrbitraError } from "../../src/core/errors.js";
import { packageVersion } from "../../src/cli/package-version.js";
import { freshBin } from "../helpers/fresh-bin.js";

// build-program.ts once read `../../package.json` relative to itself, right only at the depth
// src/cli and dist/bin happen to share; the version is now found by walking up to orbitra's own.
describe("the CLI finds its version in its own package.json, at any depth", () => {
  let root: string;
  const write = (path: string, json: unknown) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), JSON.stringify(json));
  };
  before(() => {
    root = mkdtempSync(join(tmpdir(), "orbitra-pkgver-"));
    write("pkg/package.json", { name: "orbitra", version: "7.8.9" });
    write("pkg/lib/package.json", { type: "commonjs" }); // a marker file, not the package
    write("pkg/lib/vendor/package.json", { name: "other", version: "1.0.0" });
    write("elsewhere/package.json", { name: "other", version: "1.0.0" });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("from a file at one, two or four levels below the package, as a path or a file URL", () => {
    for (const file of ["pkg/x.js", "pkg/lib/x.js", "pkg/lib/vendor/a/b/x.js"]) {
      assert.equal(packageVersion(join(root, file)), "7.8.9", file);
      assert.equal(packageVersion(pathToFileURL(join(root, file)).href), "7.8.9", file);
    }
  });

  it("no orbitra package above is an InternalError saying so, not a stray version", () => {
    assert.throws(
      () => packageVersion(join(root, "elsewhere", "x.js")),
      (error) => isOrbitraError(error) && error.code === "Internal" && error.message.includes("No package.json of orbitra"),
    );
  });

  it("this checkout: the version in the repository's package.json", () => {
    assert.match(packageVersion(), /^\d+\.\d+\.\d+/);
  });

  it("the full bundle moved to another depth still prints its package's version", { skip: freshBin() ? false : "dist/ not built" }, () => {
    const bundle = join(root, "pkg", "lib", "deeper", "cli", "orbitra-full.cjs");
    mkdirSync(dirname(bundle), { recursive: true });
    copyFileSync(join(dirname(freshBin()!), "orbitra-full.cjs"), bundle);
    const result = spawnSync(process.execPath, [bundle, "--version"], { env: { PATH: process.env.PATH, ORBITRA_HOME: root }, encoding: "utf8" });
    assert.deepEqual([result.status, result.stdout, result.stderr], [0, "7.8.9\n", ""]);
  });
});
