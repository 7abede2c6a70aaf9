import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { Page, PageRequest } from "../../src/store/types.js";
import { VaultFixture } from "./vault-fixture.js";

/** Reads a listing page by page; returns the pages' item counts and every item in order. */
function readAll<T>(list: (page: PageRequest) => Page<T>, limit: number): { sizes: number[]; items: T[] } {
  const sizes: number[] = [];
  const items: T[] = [];
  let after: string | undefined;
  do {
    const page = list(after === undefined ? { limit } : { after, limit });
    sizes.push(page.items.length);
    items.push(...page.items);
    after = page.next;
    assert.ok(sizes.length < 1000, "paging terminates");
  } while (after !== undefined);
  return { sizes, items };
}

describe("LocalVault: paging", () => {
  let f: VaultFixture;
  // 60 names in mixed case, written in a scrambled order.
  const names = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? `Name-${String(i).padStart(2, "0")}` : `name-${String(i).padStart(2, "0")}`));
  const sorted = [...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));

  beforeEach(() => {
    f = new VaultFixture();
    for (let i = 0; i < names.length; i++) f.vault.setSecret(names[(i * 37) % names.length]!, `v${i}`);
  });
  afterEach(() => f.dispose());

  it("lists everything in one page, sorted by lowercase name, when no limit is given", () => {
    const page = f.vault.listSecrets();
    assert.equal(page.next, undefined);
    assert.deepEqual(page.items.map((s) => s.name), sorted);
  });

  for (const limit of [1, 7, 25, 59, 60, 61]) {
    it(`pages with limit ${limit}: full pages, no gaps, no repeats, sorted, no empty last page`, () => {
      const { sizes, items } = readAll((p) => f.vault.listSecrets(p), limit);
      assert.deepEqual(items.map((s) => s.name), sorted);
      assert.equal(sizes.length, Math.ceil(60 / limit));
      assert.ok(sizes.slice(0, -1).every((n) => n === limit));
      assert.ok(sizes.at(-1)! > 0);
    });
  }

  it("keeps its place when names are added or deleted between pages (keyset cursors)", () => {
    const first = f.vault.listSecrets({ limit: 20 });
    f.vault.setSecret("aaa-before-cursor", "v");
    f.vault.setSecret("zzz-after-cursor", "v");
    f.vault.deleteSecret(sorted[30]!);
    const rest = readAll((p) => f.vault.listSecrets(p.after ? p : { ...p, after: first.next! }), 20).items.map((s) => s.name);
    const seen = [...first.items.map((s) => s.name), ...rest];
    assert.equal(new Set(seen).size, seen.length, "no repeats");
    assert.deepEqual(seen, [...sorted.filter((n) => n !== sorted[30]), "zzz-after-cursor"]);
  });

  it("pages names alone in code-point order (the CLI's), leaving deleted secrets out", () => {
    f.vault.deleteSecret(names[4]!);
    const expected = names.filter((n) => n !== names[4]).sort();
    assert.notDeepEqual(expected, sorted.filter((n) => n !== names[4]), "mixed case: code-point order differs from lowercase order");
    for (const limit of [1, 7, 59, 500]) assert.deepEqual(readAll((p) => f.vault.secrets.listSecretNames(p), limit).items, expected, `limit ${limit}`);
  });

  it("lists no names, in one empty page, once every secret is deleted", () => {
    for (const name of names) f.vault.deleteSecret(name);
    assert.deepEqual(f.vault.secrets.listSecretNames({ limit: 10 }), { items: [] });
    assert.deepEqual(f.vault.secrets.listSecretNames(), { items: [] });
  });

  it("pages deleted secrets the same way and leaves them out of the live listing", () => {
    const doomed = sorted.filter((_, i) => i % 4 === 0);
    for (const name of doomed) f.vault.deleteSecret(name);
    assert.deepEqual(readAll((p) => f.vault.listDeletedSecrets(p), 4).items.map((d) => d.name), doomed);
    assert.deepEqual(readAll((p) => f.vault.listSecrets(p), 9).items.map((s) => s.name), sorted.filter((n) => !doomed.includes(n)));
  });

  it("pages versions oldest first, across equal and different seconds", () => {
    const written: string[] = [];
    for (let i = 0; i < 23; i++) {
      if (i % 5 === 0) f.advanceSeconds(1);
      written.push(f.vault.setSecret("versioned", `v${i}`).version);
    }
    for (const limit of [1, 4, 23, 50]) {
      const { items } = readAll((p) => f.vault.listSecretVersions("versioned", p), limit);
      assert.deepEqual(items.map((v) => v.version), written, `limit ${limit}`);
    }
  });

  it("refuses malformed cursors and limits", () => {
    const bad = { code: "InvalidValue" };
    assert.throws(() => f.vault.listSecrets({ after: "!!not-a-cursor" }), bad);
    assert.throws(() => f.vault.listSecrets({ after: Buffer.from("[1]").toString("base64url") }), bad, "a versions-shaped cursor");
    assert.throws(() => f.vault.listSecretVersions("name-01", { after: Buffer.from('["a"]').toString("base64url") }), bad);
    for (const limit of [0, -1, 1.5, Number.NaN]) assert.throws(() => f.vault.listSecrets({ limit }), bad, String(limit));
  });
});
