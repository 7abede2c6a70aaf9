import assert from "node:assert/strict";
import { request as httpsRequest } from "node:https";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import type { Hono } from "hono";
import { createVaultApp } from "../../src/server/app.js";
import { LocalVault } from "../../src/store/local-vault.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

function snapshot(vault: LocalVault): string {
  const live = vault.listSecrets().items;
  return JSON.stringify({
    live,
    versions: live.map((s) => vault.listSecretVersions(s.name).items),
    deleted: vault.listDeletedSecrets().items,
  });
}

async function assertKeyVaultError(response: Response, method: string): Promise<void> {
  assert.ok(response.status < 500, `${method} gave ${response.status}`);
  if (response.status < 400 || method === "HEAD") return;
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
  assert.equal(typeof body.error?.code, "string");
  assert.equal(typeof body.error?.message, "string");
}

describe("server robustness: bad input always gets Key Vault's JSON error, never a 5xx, and changes nothing", () => {
  let dir: string;
  let vault: LocalVault;
  let app: Hono;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "orbitra-robust-"));
    vault = LocalVault.open({ path: join(dir, "v.db"), env: {} });
    vault.setSecret("existing", "keep-me", { tags: { a: "b" } });
    vault.setSecret("gone", "x");
    vault.deleteSecret("gone");
    app = createVaultApp({ vault, bodyLimit: 64 * 1024 });
  });
  after(() => {
    vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const auth = { authorization: "Bearer token" };

  it("answers the fixed list of malformed requests", async () => {
    const cases: [string, string, RequestInit["body"]?, Record<string, string>?, number?][] = [
      ["PUT", "/secrets/new-one?api-version=7.4", "{not json", undefined, 400],
      ["PUT", "/secrets/new-one?api-version=7.4", "[1,2]", undefined, 400],
      ["PUT", "/secrets/new-one?api-version=7.4", "", undefined, 400],
      ["PUT", "/secrets/new-one?api-version=7.4", JSON.stringify({ value: 42 }), undefined, 400],
      ["PUT", "/secrets/new-one?api-version=7.4", JSON.stringify({ value: "v", tags: ["a"] }), undefined, 400],
      ["PUT", "/secrets/new-one?api-version=7.4", JSON.stringify({ value: "v", tags: { a: 1 } }), undefined, 400],
      ["PUT", "/secrets/new-one?api-version=7.4", JSON.stringify({ value: "v", attributes: { exp: "tomorrow" } }), undefined, 400],
      ["PUT", "/secrets/new-one?api-version=7.4", JSON.stringify({ value: "v", attributes: { enabled: "yes" } }), undefined, 400],
      ["PUT", "/secrets/new-one?api-version=7.4", JSON.stringify({ value: "x".repeat(25 * 1024 + 1) }), undefined, 400],
      ["PUT", "/secrets/new-one?api-version=7.4", JSON.stringify({ value: "x".repeat(70 * 1024) }), undefined, 413],
      ["PUT", "/secrets/bad_name?api-version=7.4", JSON.stringify({ value: "v" }), undefined, 400],
      ["PUT", "/secrets/gone?api-version=7.4", JSON.stringify({ value: "v" }), undefined, 409],
      ["PUT", "/secrets/new-one", JSON.stringify({ value: "v" }), undefined, 400],
      ["PUT", "/secrets/new-one?api-version=6.0", JSON.stringify({ value: "v" }), undefined, 400],
      ["PUT", "/secrets/new-one?api-version=7.4", JSON.stringify({ value: "v" }), { authorization: "" }, 401],
      ["PUT", "/secrets/new-one?api-version=7.4", JSON.stringify({ value: "v" }), { authorization: "Basic abc" }, 401],
      ["PUT", "/secrets/new-one?api-version=7.4", JSON.stringify({ value: "v" }), { authorization: "Bearer a, Bearer b" }, 401],
      ["GET", "/secrets/existing/nothex?api-version=7.4", undefined, undefined, 400],
      ["GET", "/secrets/existing/extra/segments?api-version=7.4", undefined, undefined, 404],
      ["GET", "/secrets/..%2F..%2Fetc?api-version=7.4", undefined, undefined, 400],
      ["GET", "/secrets/%E0%A4%A?api-version=7.4", undefined, undefined, 400],
      ["GET", "/keys/k?api-version=7.4", undefined, undefined, 404],
      ["GET", "/?api-version=7.4", undefined, undefined, 404],
      ["POST", "/secrets?api-version=7.4", "{}", undefined, 405],
      ["DELETE", "/secrets/existing/versions?api-version=7.4", undefined, undefined, 405],
      ["GET", "/secrets?api-version=7.4&maxresults=26", undefined, undefined, 400],
      ["GET", "/secrets?api-version=7.4&maxresults=0", undefined, undefined, 400],
      ["GET", "/secrets?api-version=7.4&maxresults=abc", undefined, undefined, 400],
      ["POST", "/secrets/restore?api-version=7.4", JSON.stringify({ value: "!!!" }), undefined, 400],
      ["POST", "/secrets/restore?api-version=7.4", JSON.stringify({ value: "AAAA" }), undefined, 400],
      ["DELETE", "/deletedsecrets/existing?api-version=7.4", undefined, undefined, 404],
      ["POST", "/deletedsecrets/existing/recover?api-version=7.4", undefined, undefined, 404],
    ];
    for (const [method, path, body, headers, status] of cases) {
      const before = snapshot(vault);
      const response = await app.request(path, { method, body: body ?? null, headers: { ...auth, "content-type": "application/json", ...headers } });
      assert.equal(response.status, status, `${method} ${path}`);
      await assertKeyVaultError(response, method);
      if (status === 401) assert.match(response.headers.get("www-authenticate") ?? "", /^Bearer authorization="https:\/\/[^"]+", resource="https:\/\/vault\.azure\.net"$/);
      assert.equal(snapshot(vault), before, `${method} ${path} changed the store`);
    }
  });

  it("survives generated requests (property-based, bounded)", async () => {
    const segment = fc.oneof(
      fc.constantFrom("secrets", "Secrets", "deletedsecrets", "keys", "restore", "backup", "versions", "recover", "existing", "gone", "", "..", ".", "%2F", "%00", "%ZZ", "a".repeat(130)),
      fc.string({ maxLength: 12 }).map(encodeURIComponent),
    );
    const query = fc.oneof(
      fc.constant("?api-version=7.4"),
      fc.constant("?api%2Dversion=2025-07-01"),
      fc.constant(""),
      fc.constantFrom("?api-version=", "?api-version=7.4&api-version=9", "?api-version=7.4&maxresults=-1", "?api-version=7.4&$skiptoken=%%%"),
      fc.string({ maxLength: 10 }).map((s) => `?api-version=${encodeURIComponent(s)}`),
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 40 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.record({ value: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), tags: fc.anything({ maxDepth: 2 }), attributes: fc.anything({ maxDepth: 2 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    );
    const method = fc.constantFrom("GET", "PUT", "PATCH", "POST", "DELETE", "HEAD", "OPTIONS");
    const authorization = fc.constantFrom("Bearer token", "", "Bearer", "bearer t", "Token x");
    await fc.assert(
      fc.asyncProperty(method, fc.array(segment, { minLength: 0, maxLength: 4 }), query, body, authorization, async (m, segments, q, b, a) => {
        const before = snapshot(vault);
        const response = await app.request(`/${segments.join("/")}${q}`, {
          method: m,
          body: m === "GET" || m === "HEAD" ? null : (b ?? null),
          headers: a ? { authorization: a, "content-type": "application/json" } : { "content-type": "application/json" },
        });
        await assertKeyVaultError(response, m);
        if (response.status >= 400) assert.equal(snapshot(vault), before);
      }),
      { numRuns: 400, interruptAfterTimeLimit: 30_000 },
    );
    assert.ok(vault.getSecret("existing").value.equals("keep-me"));
  });

  describe("over a real socket", () => {
    let server: TestServer;
    before(async () => (server = await startTestServer()));
    after(async () => server.close());

    const raw = (method: string, path: string, headers: Record<string, string | string[]>, body?: Buffer | string) =>
      new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
        const url = new URL(server.url);
        const req = httpsRequest(
          { host: url.hostname, port: url.port, method, path, headers, ca: server.ca },
          (res) => {
            let text = "";
            res.on("data", (d) => (text += d));
            res.on("end", () => resolve({ status: res.statusCode!, body: text, headers: res.headers }));
          },
        );
        req.on("error", reject);
        if (body !== undefined) req.write(body);
        req.end();
      });

    it("refuses an oversize body with 413 and survives path tricks and odd headers", async () => {
      const big = await raw("PUT", "/secrets/big?api-version=7.4", { authorization: "Bearer t", "content-type": "application/json" }, Buffer.alloc(300 * 1024, 0x61));
      assert.equal(big.status, 413);
      assert.equal(JSON.parse(big.body).error.code, "RequestEntityTooLarge");
      for (const path of ["/secrets/../../etc/passwd?api-version=7.4", "/secrets/a/../b?api-version=7.4", "//secrets//?api-version=7.4"]) {
        const response = await raw("GET", path, { authorization: "Bearer t" });
        assert.ok(response.status >= 400 && response.status < 500, `${path}: ${response.status}`);
        assert.equal(typeof JSON.parse(response.body).error.code, "string");
      }
      // Encoded dot segments are dot segments (WHATWG URL): this is just the list, on this vault.
      const dots = await raw("GET", "/%2e%2e/secrets?api-version=7.4", { authorization: "Bearer t" });
      assert.ok(Array.isArray(JSON.parse(dots.body).value));
      const noType = await raw("PUT", "/secrets/typed?api-version=7.4", { authorization: "Bearer t" }, JSON.stringify({ value: "v" }));
      assert.equal(noType.status, 200, "content type is not required, as the SDK sends it but curl may not");
      const longHeader = await raw("GET", "/secrets?api-version=7.4", { authorization: "Bearer t", "x-ms-client-request-id": "x".repeat(4000) });
      assert.equal(longHeader.status, 200);
      assert.equal(longHeader.headers["x-ms-client-request-id"], undefined, "an oversized id is not echoed");
      const twoAuth = await raw("GET", "/secrets?api-version=7.4", { authorization: ["Bearer a", "Bearer b"] as unknown as string });
      assert.equal(twoAuth.status, 401);
    });
  });
});
