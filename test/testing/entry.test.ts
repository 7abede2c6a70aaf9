import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Every module `entry` loads, statically or through `await import(...)`, following relative imports only. */
function moduleGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
      const target = resolve(dirname(file), match[1]!.replace(/\.js$/, ".ts"));
      if (existsSync(target)) pending.push(target);
    }
  }
  return seen;
}

describe("the orbitra/testing entry", () => {
  it("package.json exports ./testing beside the main entry, pointing at the built src/testing/index.ts", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { exports: Record<string, { default: string; types: string }> };
    assert.equal(pkg.exports["./testing"]?.default, "./dist/testing/index.js");
    assert.equal(pkg.exports["./testing"]?.types, "./dist/testing/index.d.ts");
    assert.ok(existsSync(join(root, "src/testing/index.ts")));
  });

  it("the main entry loads none of the kit and none of the server, not even lazily", () => {
    const loaded = [...moduleGraph(join(root, "src/index.ts"))].map((f) => f.slice(root.length + 1));
    assert.ok(loaded.length > 10, "the walk found the library's modules");
    assert.deepEqual(loaded.filter((f) => f.startsWith("src/testing/") || f.startsWith("src/server/")), []);
  });

  it("the kit's entry does load the server (so the walk would see it)", () => {
    const loaded = [...moduleGraph(join(root, "src/testing/index.ts"))].map((f) => f.slice(root.length + 1));
    assert.ok(loaded.includes("src/server/serve.ts"));
  });
});
