import assert from "node:assert/strict";
import { once } from "node:events";
import { connect as tcpConnect, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { rawRequest, startTestServer, type TestServer } from "../helpers/server.js";

/** Item 7 of issue 9: sockets that never speak TLS must not hold the server's descriptors for good. */
describe("server: connection limits", { timeout: 30_000 }, () => {
  let server: TestServer;
  const cap = 4;
  before(async () => {
    server = await startTestServer({ maxConnections: cap, handshakeTimeoutMs: 300 });
  });
  after(async () => {
    await server?.close();
  });

  const get = () => rawRequest(server.url, server.ca, { path: "/secrets?api-version=7.5", headers: { authorization: "Bearer t" } });

  async function idleSockets(n: number): Promise<Socket[]> {
    const { hostname, port } = new URL(server.url);
    const sockets = Array.from({ length: n }, () => tcpConnect({ host: hostname, port: Number(port) }));
    await Promise.all(sockets.map((s) => once(s, "connect")));
    return sockets;
  }

  test("idle TCP connections that never send a ClientHello are closed, and the cap holds meanwhile", async () => {
    const idle = await idleSockets(cap);
    const closed = idle.map((s) => once(s, "close"));
    // Every slot is taken by a silent socket: one more connection is turned away at once.
    await assert.rejects(get());
    await Promise.all(closed);
    const res = await get();
    assert.equal(res.status, 200, res.body);
  });
});
