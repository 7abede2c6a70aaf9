import assert from "node:assert/strict";
import { once } from "node:events";
import { connect as tcpConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
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

/** The idle deadline after the handshake: a swept socket counter, not a timer re-armed per request. */
describe("server: idle TLS connections", { timeout: 30_000 }, () => {
  let server: TestServer;
  const idleMs = 300;
  before(async () => {
    server = await startTestServer({ idleSocketTimeoutMs: idleMs });
  });
  after(async () => {
    await server?.close();
  });

  function tlsSocket() {
    const { hostname, port } = new URL(server.url);
    const socket = tlsConnect({ host: hostname, port: Number(port), ca: server.ca, servername: "localhost" });
    return once(socket, "secureConnect").then(() => socket);
  }

  test("a connection that finishes its handshake and then says nothing is closed", async () => {
    const socket = await tlsSocket();
    const started = performance.now();
    // Node's own deadlines for this stage are 20 s and more: a close within seconds is the sweep's.
    await Promise.race([once(socket, "close"), new Promise((_, reject) => setTimeout(() => reject(new Error("still open")), 5_000).unref())]);
    assert.ok(performance.now() - started >= idleMs * 0.9);
  });

  test("a connection that keeps sending is left open past the idle deadline", async () => {
    const socket = await tlsSocket();
    let closed = false;
    socket.once("close", () => (closed = true));
    socket.on("data", () => {});
    // Each request line and header arrives as its own write, well within the idle deadline each time.
    for (let i = 0; i < 8; i++) {
      socket.write(i === 0 ? "GET /secrets?api-version=7.5 HTTP/1.1\r\n" : `x-pad-${i}: ${i}\r\n`);
      await new Promise((resolve) => setTimeout(resolve, idleMs / 3));
    }
    assert.equal(closed, false);
    socket.destroy();
  });
});
