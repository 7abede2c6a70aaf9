import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { connect } from "node:tls";
import fc from "fast-check";
import type { Hono } from "hono";
import { createVaultApp } from "../../src/server/app.js";
import { LocalVault } from "../../src/store/local-vault.js";
import { assertEnvelope as sharedEnvelope, rawRequest, startTestServer, type RawResponse, type TestServer } from "../helpers/server.js";

// Bad input of every kind: always Key Vault's JSON error envelope, never a 5xx, never a crash,
// and the store exactly as it was.

/** Everything the store holds (names, versions, attributes, deleted ones), to compare before/after. */
function snapshot(vault: LocalVault): string {
  const live = vault.listSecrets().items;
  return JSON.stringify({
    live,
    versions: live.map((s) => vault.listSecretVersions(s.name).items),
    deleted: vault.listDeletedSecrets().items,
  });
}

function seed(vault: LocalVault): void {
  vault.setSecret("existing", "keep-me", { tags: { a: "b" } });
  vault.setSecret("existing", "keep-me-2");
  vault.setSecret("gone", "x");
  vault.deleteSecret("gone");
}

/** The envelope on every reply, and no stored value in an error. */
const assertEnvelope = (status: number, contentType: string | null | undefined, body: string, what: string) =>
  sharedEnvelope(status, contentType, body, what, ["keep-me"]);

const AUTH = { authorization: "Bearer token" };

/**
 * Writes raw bytes over TLS and parses the one reply: for what node:https will not send (repeated
 * Host headers, broken syntax, chunked bodies of our own making). Resolves when the server closes.
 */
function rawExchange(server: TestServer, write: (socket: ReturnType<typeof connect>) => void): Promise<RawResponse> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port), ca: server.ca, servername: "localhost" }, () => write(socket));
    let text = "";
    socket.on("data", (d: Buffer) => (text += d.toString("utf8")));
    socket.on("error", () => undefined); // the server may close while we still write
    socket.on("close", () => {
      const split = text.indexOf("\r\n\r\n");
      const head = text.slice(0, split);
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1]);
      if (!status) return reject(new Error(`no reply: ${text.slice(0, 100)}`));
      const contentType = /^content-type: ([^\r\n]+)/im.exec(head)?.[1];
      resolve({ status, headers: { "content-type": contentType }, body: text.slice(split + 4) });
    });
  });
}
const JSON_HEADERS = { ...AUTH, "content-type": "application/json" };

describe("robustness in-process (app.request)", () => {
  let dir: string;
  let vault: LocalVault;
  let app: Hono;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "orbitra-robust-"));
    vault = LocalVault.open({ path: join(dir, "v.db"), env: {} });
    seed(vault);
    app = createVaultApp({ vault, bodyLimit: 64 * 1024 });
  });
  after(() => {
    vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function send(method: string, path: string, body?: string, headers: Record<string, string> = JSON_HEADERS) {
    const response = await app.request(path, { method, body: body ?? null, headers });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get("content-type"), text, headers: response.headers };
  }

  it("answers a fixed list of malformed requests with the right status, and changes nothing", async () => {
    const V = "/secrets/new-one?api-version=7.4";
    const cases: [string, string, string | undefined, number, string][] = [
      ["PUT", V, "{not json", 400, "BadParameter"],
      ["PUT", V, "[1,2]", 400, "BadParameter"],
      ["PUT", V, "null", 400, "BadParameter"],
      ["PUT", V, '"a string"', 400, "BadParameter"],
      ["PUT", V, "", 400, "BadParameter"],
      ["PUT", V, "{}", 400, "BadParameter"],
      ["PUT", V, JSON.stringify({ value: 42 }), 400, "BadParameter"],
      ["PUT", V, JSON.stringify({ value: null }), 400, "BadParameter"],
      ["PUT", V, JSON.stringify({ value: ["v"] }), 400, "BadParameter"],
      ["PUT", V, JSON.stringify({ value: "v", tags: ["a"] }), 400, "BadParameter"],
      ["PUT", V, JSON.stringify({ value: "v", tags: "a=b" }), 400, "BadParameter"],
      ["PUT", V, JSON.stringify({ value: "v", tags: { a: 1 } }), 400, "BadParameter"],
      ["PUT", V, JSON.stringify({ value: "v", tags: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, "x"])) }), 400, "BadParameter"],
      ["PUT", V, JSON.stringify({ value: "v", contentType: 7 }), 400, "BadParameter"],
      ["PUT", V, JSON.stringify({ value: "v", contentType: "x".repeat(256) }), 400, "BadParameter"],
      ["PUT", V, JSON.stringify({ value: "v", attributes: [] }), 400, "BadParameter"],
      ["PUT", V, JSON.stringify({ value: "v", attributes: { exp: "tomorrow" } }), 400, "BadParameter"],
      ["PUT", V, JSON.stringify({ value: "v", attributes: { nbf: -5 } }), 400, "BadParameter"],
      ["PUT", V, JSON.stringify({ value: "v", attributes: { exp: 1e300 } }), 400, "BadParameter"],
      ["PUT", V, JSON.stringify({ value: "v", attributes: { enabled: "yes" } }), 400, "BadParameter"],
      ["PUT", V, JSON.stringify({ value: "x".repeat(25 * 1024 + 1) }), 400, "BadParameter"],
      ["PUT", V, JSON.stringify({ value: "x".repeat(70 * 1024) }), 413, "RequestEntityTooLarge"],
      ["PUT", "/secrets/bad_name?api-version=7.4", JSON.stringify({ value: "v" }), 400, "BadParameter"],
      ["PUT", "/secrets/gone?api-version=7.4", JSON.stringify({ value: "v" }), 409, "Conflict"],
      ["PUT", "/secrets/new-one", JSON.stringify({ value: "v" }), 400, "BadParameter"],
      ["PUT", "/secrets/new-one?api-version=6.0", JSON.stringify({ value: "v" }), 400, "BadParameter"],
      ["PATCH", "/secrets/existing/?api-version=7.4", JSON.stringify({ attributes: { enabled: 1 } }), 400, "BadParameter"],
      ["PATCH", "/secrets/existing/?api-version=7.4", "nope", 400, "BadParameter"],
      ["PATCH", `/secrets/existing/${"0".repeat(32)}?api-version=7.4`, JSON.stringify({}), 404, "SecretNotFound"],
      ["GET", "/secrets/existing/nothex?api-version=7.4", undefined, 400, "BadParameter"],
      ["GET", "/secrets/existing/extra/segments?api-version=7.4", undefined, 404, "NotFound"],
      ["GET", "/secrets/..%2F..%2Fetc?api-version=7.4", undefined, 400, "BadParameter"],
      // (`%2e%2e` is resolved by the WHATWG URL parser before app.request sees it; tested over the socket.)
      ["GET", "/secrets/%E0%A4%A?api-version=7.4", undefined, 400, "BadParameter"],
      ["GET", "/secrets/a%00b?api-version=7.4", undefined, 400, "BadParameter"],
      ["GET", "/keys/k?api-version=7.4", undefined, 404, "KeyNotFound"],
      ["GET", "/certificates/c?api-version=7.4", undefined, 404, "CertificateNotFound"],
      ["GET", "/storage/c?api-version=7.4", undefined, 404, "NotFound"],
      ["GET", "/?api-version=7.4", undefined, 404, "NotFound"],
      ["POST", "/secrets?api-version=7.4", "{}", 405, "MethodNotAllowed"],
      ["DELETE", "/secrets/existing/versions?api-version=7.4", undefined, 405, "MethodNotAllowed"],
      ["OPTIONS", "/secrets?api-version=7.4", undefined, 405, "MethodNotAllowed"],
      ["GET", "/secrets?api-version=7.4&maxresults=26", undefined, 400, "BadParameter"],
      ["GET", "/secrets?api-version=7.4&maxresults=0", undefined, 400, "BadParameter"],
      ["GET", "/secrets?api-version=7.4&maxresults=abc", undefined, 400, "BadParameter"],
      ["GET", "/secrets?api-version=7.4&$skiptoken=%%%", undefined, 400, "BadParameter"],
      ["GET", "/secrets?api-version=7.4&$skiptoken=bm90IGEgY3Vyc29y", undefined, 400, "BadParameter"],
      ["POST", "/secrets/restore?api-version=7.4", JSON.stringify({ value: "!!!" }), 400, "BadParameter"],
      ["POST", "/secrets/restore?api-version=7.4", JSON.stringify({ value: "AAAA" }), 400, "Malformed backup blob"],
      ["POST", "/secrets/restore?api-version=7.4", JSON.stringify({ value: 5 }), 400, "BadParameter"],
      ["POST", "/secrets/restore?api-version=7.4", "", 400, "BadParameter"],
      ["DELETE", "/deletedsecrets/existing?api-version=7.4", undefined, 404, "SecretNotFound"],
      ["POST", "/deletedsecrets/existing/recover?api-version=7.4", undefined, 404, "SecretNotFound"],
      ["POST", "/secrets/never-was/backup?api-version=7.4", undefined, 404, "SecretNotFound"],
    ];
    for (const [method, path, body, status, code] of cases) {
      const before = snapshot(vault);
      const reply = await send(method, path, body);
      const what = `${method} ${path} ${body?.slice(0, 40) ?? ""}`;
      assert.equal(reply.status, status, what);
      assertEnvelope(reply.status, reply.contentType, reply.text, what);
      assert.equal(JSON.parse(reply.text).error.code, code, what);
      assert.equal(snapshot(vault), before, `${what} changed the store`);
    }
  });

  it("refuses requests without a usable bearer token with the 401 challenge, before looking at the body", async () => {
    for (const authorization of [undefined, "", "Basic abc", "Bearer", "Bearer a, Bearer b", "bearer"]) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (authorization !== undefined) headers.authorization = authorization;
      const reply = await send("PUT", "/secrets/x?api-version=7.4", "{not json", headers);
      assert.equal(reply.status, 401, String(authorization));
      assert.match(reply.headers.get("www-authenticate") ?? "", /^Bearer authorization="https:\/\/[^"]+", resource="https:\/\/vault\.azure\.net"$/);
      assertEnvelope(reply.status, reply.contentType, reply.text, `auth ${authorization}`);
    }
  });

  it("accepts what real clients send: no content type, text/plain, a charset, `attributes: {}`", async () => {
    for (const contentType of [undefined, "text/plain", "application/json; charset=utf-8", "application/x-www-form-urlencoded"]) {
      const headers: Record<string, string> = { ...AUTH };
      if (contentType) headers["content-type"] = contentType;
      const reply = await send("PUT", "/secrets/typed?api-version=7.4", JSON.stringify({ value: "v", attributes: {} }), headers);
      assert.equal(reply.status, 200, String(contentType));
      assert.equal(JSON.parse(reply.text).attributes.enabled, true);
    }
  });

  it("survives generated requests (property-based, bounded): envelope on every error, store untouched by errors", async () => {
    const segment = fc.oneof(
      fc.constantFrom("secrets", "Secrets", "deletedsecrets", "keys", "restore", "backup", "versions", "recover", "existing", "gone", "", "..", ".", "%2F", "%00", "%ZZ", "%", "a".repeat(130), "0".repeat(32)),
      fc.string({ maxLength: 12 }).map(encodeURIComponent),
    );
    const query = fc.oneof(
      fc.constant("?api-version=7.4"),
      fc.constant("?api%2Dversion=2025-07-01"),
      fc.constant(""),
      fc.constantFrom("?api-version=", "?api-version=7.4&api-version=9", "?api-version=7.4&maxresults=-1", "?api-version=7.4&$skiptoken=%%%", "?api-version=7.4&maxresults=1"),
      fc.string({ maxLength: 10 }).map((s) => `?api-version=${encodeURIComponent(s)}`),
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 40 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            value: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant({})),
            contentType: fc.oneof(fc.string(), fc.integer()),
            tags: fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string(), fc.integer())), fc.anything({ maxDepth: 1 })),
            attributes: fc.oneof(
              fc.record({ enabled: fc.anything({ maxDepth: 0 }), nbf: fc.oneof(fc.integer(), fc.double(), fc.string()), exp: fc.oneof(fc.integer(), fc.double()) }, { requiredKeys: [] }),
              fc.anything({ maxDepth: 1 }),
            ),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
    );
    const method = fc.constantFrom("GET", "PUT", "PATCH", "POST", "DELETE", "HEAD", "OPTIONS");
    const authorization = fc.constantFrom("Bearer token", "", "Bearer", "bearer t", "Token x");
    await fc.assert(
      fc.asyncProperty(method, fc.array(segment, { minLength: 0, maxLength: 4 }), query, body, authorization, async (m, segments, q, b, a) => {
        const before = snapshot(vault);
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (a) headers.authorization = a;
        const reply = await send(m, `/${segments.join("/")}${q}`, m === "GET" || m === "HEAD" ? undefined : b, headers);
        if (m !== "HEAD") assertEnvelope(reply.status, reply.contentType, reply.text, `${m} /${segments.join("/")}${q}`);
        else assert.ok(reply.status < 500);
        if (reply.status >= 400) assert.equal(snapshot(vault), before);
      }),
      { numRuns: 200, interruptAfterTimeLimit: 20_000 },
    );
  });
});

describe("robustness over a real socket", () => {
  let server: TestServer;
  let before_: string;
  before(async () => {
    server = await startTestServer({ bodyLimit: 64 * 1024 });
    seed(server.store());
    before_ = snapshot(server.store());
  });
  after(async () => {
    // Whatever was thrown at it, the server still answers.
    const alive = await rawRequest(server.url, server.ca, { path: "/secrets?api-version=7.4", headers: AUTH });
    assert.equal(alive.status, 200);
    await server.close();
  });

  const send = (request: Parameters<typeof rawRequest>[2]) => rawRequest(server.url, server.ca, request);
  const check = (reply: RawResponse, what: string) => assertEnvelope(reply.status, reply.headers["content-type"] as string | undefined, reply.body, what);

  it("413 for an oversize body, declared or streamed (chunked), with the envelope", async () => {
    const declared = await send({ method: "PUT", path: "/secrets/big?api-version=7.4", headers: JSON_HEADERS, body: Buffer.alloc(300 * 1024, 0x61) });
    assert.equal(declared.status, 413);
    check(declared, "declared");
    assert.equal(JSON.parse(declared.body).error.code, "RequestEntityTooLarge");
    const streamed = await rawExchange(server, (socket) => {
      // No Content-Length: the server has to count while reading.
      socket.write(`PUT /secrets/big?api-version=7.4 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\nTransfer-Encoding: chunked\r\n\r\n`);
      const chunk = "a".repeat(16 * 1024);
      for (let i = 0; i < 8; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    });
    assert.equal(streamed.status, 413);
    check(streamed, "chunked");
    assert.equal(snapshot(server.store()), before_);
  });

  it("path traversal and odd paths are 4xx with the envelope", async () => {
    for (const path of [
      "/secrets/../../etc/passwd?api-version=7.4",
      "/secrets/a/../b?api-version=7.4",
      "/secrets/..%2F..%2Fetc%2Fpasswd?api-version=7.4",
      "/%2e%2e/secrets?api-version=7.4",
      "//secrets//?api-version=7.4",
      "/secrets/%00?api-version=7.4",
      "/secrets/a%2Fb/?api-version=7.4",
    ]) {
      const reply = await send({ path, headers: AUTH });
      assert.ok(reply.status >= 400 && reply.status < 500, `${path}: ${reply.status}`);
      check(reply, path);
    }
    assert.equal(snapshot(server.store()), before_);
  });

  it("odd headers: none, wrong content type, huge but legal, too large, duplicated Authorization and Host", async () => {
    const noType = await send({ method: "PUT", path: "/secrets/typed?api-version=7.4", headers: AUTH, body: JSON.stringify({ value: "v" }) });
    assert.equal(noType.status, 200, "curl-style requests without a content type work");
    server.store().deleteSecret("typed");
    server.store().purgeDeletedSecret("typed");
    const long = await send({ path: "/secrets?api-version=7.4", headers: { ...AUTH, "x-ms-client-request-id": "x".repeat(201), "x-filler": "y".repeat(12_000) } });
    assert.equal(long.status, 200);
    assert.equal(long.headers["x-ms-client-request-id"], undefined, "an oversized client request id is not echoed");
    const overflow = await send({ path: "/secrets?api-version=7.4", headers: { ...AUTH, "x-filler": "y".repeat(20_000) } });
    assert.equal(overflow.status, 431);
    check(overflow, "header overflow");
    const twoTokens = await send({ path: "/secrets?api-version=7.4", headers: { authorization: ["Bearer a", "Bearer b"] } });
    assert.equal(twoTokens.status, 401);
    check(twoTokens, "two tokens");
    const twoHosts = await rawExchange(server, (socket) =>
      socket.write("GET /secrets?api-version=7.4 HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nAuthorization: Bearer t\r\nConnection: close\r\n\r\n"),
    );
    assert.equal(twoHosts.status, 400);
    check(twoHosts, "two hosts");
    const noHost = await rawExchange(server, (socket) => socket.write("GET /secrets/existing/?api-version=7.4 HTTP/1.0\r\nAuthorization: Bearer t\r\n\r\n"));
    assert.equal(noHost.status, 200, "HTTP/1.0 without Host");
    assert.ok((JSON.parse(noHost.body) as { id: string }).id.startsWith(`${server.url}/secrets/existing/`), "ids still name this listener and port");
    const badHost = await send({ path: "/secrets?api-version=7.4", headers: { ...AUTH, host: "a/b" }, servername: "localhost" });
    assert.equal(badHost.status, 400);
    assert.equal(snapshot(server.store()), before_);
  });

  it("malformed HTTP gets the envelope too (Node's parser refuses it before the handler)", async () => {
    const reply = await rawExchange(server, (socket) => socket.write("GET /secrets HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"));
    assert.equal(reply.status, 400);
    check(reply, "malformed");
    assert.equal(JSON.parse(reply.body).error.code, "BadRequest");
  });

  it("generated requests over the socket (property-based, bounded)", async () => {
    const name = fc.oneof(fc.constantFrom("existing", "gone", "x", "..", "%2F", "a_b", ""), fc.string({ maxLength: 8 }).map(encodeURIComponent));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "PUT", "PATCH", "POST", "DELETE"),
        fc.constantFrom("/secrets/", "/deletedsecrets/", "/secrets/restore", "/"),
        name,
        fc.constantFrom("?api-version=7.4", "", "?api-version=1"),
        fc.oneof(fc.constant(""), fc.string({ maxLength: 30 }), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v))),
        async (method, prefix, n, q, body) => {
          const before = snapshot(server.store());
          const reply = await send({ method, path: `${prefix}${prefix.endsWith("/") && prefix !== "/" ? n : ""}${q}`, headers: JSON_HEADERS, body });
          check(reply, `${method} ${prefix}${n}${q}`);
          if (reply.status >= 400) assert.equal(snapshot(server.store()), before);
        },
      ),
      { numRuns: 60, interruptAfterTimeLimit: 15_000 },
    );
  });
});
