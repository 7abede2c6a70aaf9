// Listing is paged end to end: from the store's pages through the client to `orbitra secrets
// list`, no layer asks for more than one page or holds the whole listing. Checked by construction
// (what the store is asked, and when), not by timing or memory figures.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { LocalBackend } from "../../src/backends/local-backend.js";
import { OrbitraSecretsClient } from "../../src/client/secrets-client.js";
import { toJsonLine } from "../../src/cli/output.js";
import { writeJsonArray, writeLines } from "../../src/cli/write-lines.js";
import { LocalVault } from "../../src/store/local-vault.js";
import type { Page, PageRequest } from "../../src/store/types.js";

const COUNT = 10_000;

describe("listing 10,000 secrets streams page by page", () => {
  let dir: string;
  let vault: LocalVault;
  let asked: PageRequest[];
  let client: OrbitraSecretsClient;
  const names = Array.from({ length: COUNT }, (_, i) => (i % 7 === 0 ? `Upper-${i}` : `lower-${i}`));

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "orbitra-stream-"));
    vault = LocalVault.open({ path: join(dir, "vault.db"), env: {} });
    for (const name of names) vault.setSecret(name, "v");
    // Every page the store is asked for, as it is asked.
    const list = vault.secrets.listSecretNames.bind(vault.secrets);
    const listProperties = vault.secrets.listSecretsByName.bind(vault.secrets);
    asked = [];
    vault.secrets.listSecretNames = (page?: PageRequest): Page<string> => {
      asked.push(page ?? {});
      return list(page);
    };
    vault.secrets.listSecretsByName = (page?: PageRequest) => {
      asked.push(page ?? {});
      return listProperties(page);
    };
    const backend = new LocalBackend(vault);
    client = new OrbitraSecretsClient({ kind: "local", environment: "test", vaultUrl: backend.vaultUrl } as never, async () => backend);
  });
  after(() => {
    vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the client yields the first name after one page of the store, and asks page after page, each bounded", async () => {
    asked.length = 0;
    const seen: string[] = [];
    for await (const name of client.secretNames()) {
      if (seen.length === 0) assert.equal(asked.length, 1, "the first name comes from the first page alone");
      seen.push(name);
      // Never more than one page ahead of what was consumed.
      assert.ok(asked.length <= Math.floor(seen.length / 500) + 1, `${asked.length} pages asked after ${seen.length} names`);
    }
    assert.deepEqual(seen, [...names].sort());
    assert.ok(asked.every((p) => p.limit !== undefined && p.limit <= 500), "every page has a bound");
    assert.equal(asked.length, COUNT / 500);
  });

  it("the CLI's writer prints the first line at once and then chunks, never the whole listing in one piece", async () => {
    asked.length = 0;
    const writes: { bytes: number; pagesAsked: number }[] = [];
    const out = { write: (chunk: string | Uint8Array) => (writes.push({ bytes: chunk.length, pagesAsked: asked.length }), true) };
    await writeLines(out, client.secretNames());
    assert.deepEqual(writes[0], { bytes: `${[...names].sort()[0]!}\n`.length, pagesAsked: 1 });
    const total = writes.reduce((sum, w) => sum + w.bytes, 0);
    assert.ok(writes.every((w) => w.bytes <= 17 * 1024), "no write holds more than a chunk");
    assert.ok(writes.length > 5 && total > 100_000);
  });

  it("waits for a full output to drain before asking the store for another page", async () => {
    asked.length = 0;
    let bytes = 0;
    const pagesAskedWhileFull: number[] = [];
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    const out = {
      buffered: true,
      write: (chunk: string | Uint8Array) => ((bytes += chunk.length), false),
      drained: async () => {
        const before = asked.length;
        for (let i = 0; i < 3; i++) await tick();
        pagesAskedWhileFull.push(asked.length - before);
        return true;
      },
    };
    await writeLines(out, client.secretNames());
    assert.equal(bytes, names.reduce((sum, name) => sum + name.length + 1, 0), "every name written once");
    assert.ok(pagesAskedWhileFull.length > 5, "the writer waited at each full chunk");
    assert.deepEqual(new Set(pagesAskedWhileFull), new Set([0]), "no page read while the output was full");
  });

  it("stops when a full output closes while it waits", async () => {
    asked.length = 0;
    await writeLines({ buffered: true, write: () => false, drained: async () => false }, client.secretNames());
    assert.equal(asked.length, 1);
  });

  it("stops asking the store once the reader has gone (| head -1)", async () => {
    asked.length = 0;
    await writeLines({ write: () => false }, client.secretNames());
    assert.equal(asked.length, 1);
  });

  it("--json streams too: properties in the names' order, a page at a time, the bytes toJsonLine would print", async () => {
    asked.length = 0;
    const writes: { text: string; pagesAsked: number }[] = [];
    const out = { write: (chunk: string | Uint8Array) => (writes.push({ text: String(chunk), pagesAsked: asked.length }), true) };
    async function* items(): AsyncIterable<unknown> {
      for await (const p of client.secretPropertiesByName()) yield { name: p.name, enabled: p.enabled };
    }
    await writeJsonArray(out, items());
    assert.equal(writes[0]!.pagesAsked, 1, "the first item goes out after the first page alone");
    assert.ok(writes.every((w, i) => w.pagesAsked <= i + 1), "never more than a page ahead of the writes");
    assert.ok(asked.every((p) => p.limit !== undefined && p.limit <= 500), "every page has a bound");
    const sorted = [...names].sort();
    assert.equal(writes.map((w) => w.text).join(""), toJsonLine(sorted.map((name) => ({ name, enabled: true }))));
  });

  it("an empty --json listing is [] and a newline, as before", async () => {
    let text = "";
    async function* none(): AsyncIterable<never> {}
    await writeJsonArray({ write: (chunk: string | Uint8Array) => ((text += String(chunk)), true) }, none());
    assert.equal(text, toJsonLine([]));
  });
});
