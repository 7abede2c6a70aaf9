import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { getSecretsClient } from "../../src/client/get-secrets-client.js";
import type { OrbitraSecretsClient } from "../../src/client/secrets-client.js";
import { isOrbitraError } from "../../src/core/errors.js";
import { rawRequest, startTestServer, type TestServer } from "../helpers/server.js";

/**
 * Issue 9 item 9: the library and the server take and refuse the same inputs. Every case is
 * tried both ways: through the library on a local vault (InvalidValue), and as raw JSON over
 * HTTPS (Key Vault's 400 BadParameter), and a refused write leaves nothing behind.
 */
describe("one validation for the library and the server", () => {
  let server: TestServer;
  let home: string;
  let client: OrbitraSecretsClient;
  const access: string[] = [];
  const errors: string[] = [];
  let waiting: ((line: string) => void) | undefined;

  before(async () => {
    server = await startTestServer({
      accessLog: (line) => {
        access.push(line);
        waiting?.(line);
      },
      errorLog: (line) => errors.push(line),
    });
    home = mkdtempSync(join(tmpdir(), "orbitra-validation-"));
    client = getSecretsClient({ environment: "local", env: { ORBITRA_HOME: home }, cwd: home });
  });
  after(async () => {
    await server?.close();
    rmSync(home, { recursive: true, force: true });
  });

  const put = (name: string, body: string | Buffer) =>
    rawRequest(server.url, server.ca, {
      method: "PUT",
      path: `/secrets/${name}?api-version=7.5`,
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body,
    });
  const getRaw = (name: string) => rawRequest(server.url, server.ca, { path: `/secrets/${name}?api-version=7.5`, headers: { authorization: "Bearer t" } });

  async function refusedByBoth(name: string, libraryWrite: () => Promise<unknown>, wireBody: string | Buffer) {
    await assert.rejects(libraryWrite(), (e) => isOrbitraError(e) && e.code === "InvalidValue", `${name}: library`);
    const res = await put(name, wireBody);
    assert.equal(res.status, 400, `${name}: ${res.body}`);
    assert.equal((JSON.parse(res.body) as { error: { code: string } }).error.code, "BadParameter");
    assert.equal((await getRaw(name)).status, 404, `${name}: nothing stored`);
    await assert.rejects(client.getSecret(name), (e) => isOrbitraError(e) && e.code === "SecretNotFound", `${name}: nothing stored locally`);
  }

  test("a value that is not a string is InvalidValue, not a TypeError", async () => {
    await refusedByBoth("not-a-string", () => client.writeSecret("not-a-string", 12 as unknown as string), JSON.stringify({ value: 12 }));
  });

  test("a lone surrogate is refused, not stored as U+FFFD", async () => {
    await refusedByBoth("lone", () => client.writeSecret("lone", "a\ud800b"), '{"value":"a\\ud800b"}');
    await refusedByBoth("lone-tag", () => client.writeSecret("lone-tag", "v", { tags: { t: "\udc00" } }), '{"value":"v","tags":{"t":"\\udc00"}}');
  });

  test("invalid UTF-8 in a request body is refused", async () => {
    const res = await put("bad-utf8", Buffer.concat([Buffer.from('{"value":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]));
    assert.equal(res.status, 400, res.body);
    assert.match(res.body, /not valid UTF-8/);
    assert.equal((await getRaw("bad-utf8")).status, 404);
  });

  test("dates: the year 275760 (the largest JS Date) and other out-of-range ones are refused alike; 9999-12-31 is taken by both", async () => {
    const maxJsDate = new Date(8.64e15);
    await refusedByBoth("far", () => client.writeSecret("far", "v", { expiresOn: maxJsDate }), JSON.stringify({ value: "v", attributes: { exp: 8.64e12 } }));
    await refusedByBoth("before-epoch", () => client.writeSecret("before-epoch", "v", { notBefore: new Date(-5000) }), JSON.stringify({ value: "v", attributes: { nbf: -5 } }));
    const last = Date.UTC(9999, 11, 31, 23, 59, 59);
    const local = await client.writeSecret("last", "v", { expiresOn: new Date(last) });
    assert.equal(local.expiresOn?.getTime(), last);
    const wire = await put("last", JSON.stringify({ value: "v", attributes: { exp: last / 1000 } }));
    assert.equal(wire.status, 200, wire.body);
    assert.equal((JSON.parse(wire.body) as { attributes: { exp: number } }).attributes.exp, last / 1000);
  });

  test("a tag named __proto__ is kept, over HTTP as in the library", async () => {
    const tags = JSON.parse('{"__proto__":"p","a":"b"}') as Record<string, string>;
    const local = await client.writeSecret("proto", "v", { tags });
    assert.deepEqual(Object.entries(local.tags), [["__proto__", "p"], ["a", "b"]]);
    const wire = await put("proto", JSON.stringify({ value: "v", tags: { a: "b" } }).replace('{"a"', '{"__proto__":"p","a"'));
    assert.equal(wire.status, 200, wire.body);
    const read = JSON.parse((await getRaw("proto")).body) as { tags: Record<string, string> };
    assert.deepEqual(Object.entries(read.tags), [["__proto__", "p"], ["a", "b"]]);
  });

  test("a client that hangs up mid-body is logged as its abort (499), not as a server error", async () => {
    const url = new URL(server.url);
    const logged = new Promise<string>((resolve) => {
      waiting = (line) => {
        if (/hangup/.test(line)) resolve(line);
      };
    });
    const socket = connect({ host: url.hostname, port: Number(url.port), ca: server.ca, servername: "localhost" }, () => {
      socket.write("PUT /secrets/hangup?api-version=7.5 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"value\":");
      setImmediate(() => socket.destroy());
    });
    socket.on("error", () => undefined);
    const line = await logged;
    waiting = undefined;
    assert.match(line, /\b499\b/);
    assert.deepEqual(errors, []);
  });
});
