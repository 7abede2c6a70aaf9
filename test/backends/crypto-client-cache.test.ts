import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CryptographyClient, KeyVaultKey } from "@azure/keyvault-keys";
import { CryptoClientCache, KEY_CACHE_MS } from "../../src/backends/crypto-client-cache.js";

function cache() {
  let now = 1_000_000;
  const fetched: string[] = [];
  let fail = false;
  const c = new CryptoClientCache(
    async (name, version) => {
      fetched.push(`${name}/${version ?? ""}`);
      if (fail) throw new Error("not found");
      return { name, properties: { name, vaultUrl: "https://v", version: version ?? "latest" } } as KeyVaultKey;
    },
    (key) => ({ key }) as unknown as CryptographyClient,
    () => now,
  );
  return { c, fetched, tick: (ms: number) => (now += ms), failing: (f: boolean) => (fail = f) };
}

describe("backends: the key a Key Vault crypto call runs on, kept a few seconds", () => {
  it("reads a key once per name and version (names compare case-insensitively) until it is older than the cache's span", async () => {
    const { c, fetched, tick } = cache();
    const first = await c.get("k", undefined);
    assert.equal(await c.get("K", undefined), first);
    await c.get("k", "AB".repeat(16));
    await c.get("k", "ab".repeat(16));
    assert.deepEqual(fetched, ["k/", `k/${"AB".repeat(16)}`]);
    tick(KEY_CACHE_MS);
    assert.notEqual(await c.get("k", undefined), first, "read again once stale");
    assert.equal(fetched.length, 3);
  });

  it("forgets every version of a name the backend changed, and never keeps a failed read", async () => {
    const { c, fetched, failing } = cache();
    await c.get("k", undefined);
    await c.get("k", "0".repeat(32));
    await c.get("other", undefined);
    c.forget("K");
    await c.get("k", undefined);
    await c.get("k", "0".repeat(32));
    await c.get("other", undefined);
    assert.deepEqual(fetched, ["k/", `k/${"0".repeat(32)}`, "other/", "k/", `k/${"0".repeat(32)}`]);
    failing(true);
    await assert.rejects(c.get("gone", undefined));
    failing(false);
    await c.get("gone", undefined);
    assert.equal(fetched.filter((f) => f === "gone/").length, 2);
  });
});
