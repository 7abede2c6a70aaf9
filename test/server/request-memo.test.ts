import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Hono } from "hono";
import { createVaultApp } from "../../src/server/app.js";
import { QueryValues, RequestMemo } from "../../src/server/request-memo.js";
import { LocalVault } from "../../src/store/local-vault.js";

describe("RequestMemo", () => {
  it("stays bounded whatever keys clients send", () => {
    const memo = new RequestMemo<number>(4);
    for (let i = 0; i < 4; i++) memo.set(`k${i}`, i);
    assert.equal(memo.get("k0"), 0);
    memo.set("k4", 4);
    assert.equal(memo.get("k0"), undefined, "full: it started over");
    assert.equal(memo.get("k4"), 4);
  });
});

describe("QueryValues", () => {
  it("reads as URLSearchParams.get does: decoded, + as space, the first of repeats, null when absent", () => {
    for (const text of ["api-version=7.5&maxresults=3", "a=1&a=2&%61=3", "x=%2B+y%20z&y", "", "=&&api-version=", "q=%E2%9C%93&bad=%ZZ"]) {
      const ours = new QueryValues(text);
      const theirs = new URLSearchParams(text);
      for (const name of ["api-version", "maxresults", "a", "x", "y", "q", "bad", "", "missing"]) assert.equal(ours.get(name), theirs.get(name), `${text}: ${name}`);
    }
  });
});

// The handler remembers routes, queries and hosts (request-memo.ts): what it remembered must
// never answer for another request, and a refusal is never remembered.
describe("remembered routes, queries and hosts answer only for their own requests", () => {
  let dir: string;
  let vault: LocalVault;
  let app: Hono;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "orbitra-memo-"));
    vault = LocalVault.open({ path: join(dir, "v.db"), env: {}, readCacheEntries: 1000 });
    app = createVaultApp({ vault });
  });
  after(() => {
    vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, host = "localhost:8443") =>
    app.request(`https://${host}${path}`, { headers: { authorization: "Bearer t", host } });

  it("more names, queries and hosts than the memos hold, each read as its own", async () => {
    for (let i = 0; i < 300; i++) vault.setSecret(`memo-${i}`, `value-${i}`);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 300; i++) {
        const host = `h${i % 70}.example:${8000 + (i % 3)}`;
        const api = i % 2 === 0 ? "7.5" : `2025-07-01&n=${i}`;
        const response = await get(`/secrets/memo-${i}/?api-version=${api}`, host);
        assert.equal(response.status, 200);
        const body = (await response.json()) as { value: string; id: string };
        assert.equal(body.value, `value-${i}`);
        assert.match(body.id, new RegExp(`^https://${host.replace(/\./g, "\\.")}/secrets/memo-${i}/`));
      }
    }
  });

  it("a path, query or host refused once is refused again; one served once is still checked for the rest", async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      assert.equal((await get("/secrets/memo-1/?api-version=1.0")).status, 400);
      assert.equal((await get("/secrets/bad_name/?api-version=7.5")).status, 400);
      assert.equal((await get("/secrets/memo-1/?api-version=7.5", "nosuch.localhost:8443")).status, 404);
    }
    // Served before with api-version 7.5; without a token it is still a 401, and DELETE of a version path is refused.
    assert.equal((await app.request("https://localhost:8443/secrets/memo-1/?api-version=7.5", { headers: { host: "localhost:8443" } })).status, 401);
    const del = await app.request("https://localhost:8443/secrets/memo-1/?api-version=7.5", {
      method: "DELETE",
      headers: { authorization: "Bearer t", host: "localhost:8443" },
    });
    assert.equal(del.status, 405);
  });
});
