import type { Server, ServerOptions } from "node:https";
import type { TLSSocket } from "node:tls";

/**
 * Every connection holds a file descriptor, and one that never speaks would hold it forever: 600
 * idle TCP sockets were enough to make every real request fail under a 512-descriptor limit. So
 * each stage of a connection has a deadline, and a listener has a cap.
 */
export const DEFAULT_MAX_CONNECTIONS = 256;
/** TCP open but no (or no finished) TLS handshake. Node's own default is 120 s. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
/** Between requests on a keep-alive connection (Node's default, said out loud). */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** From the first byte of a request to the end of its headers; Node wants it above keep-alive. */
const HEADERS_TIMEOUT_MS = 20_000;
/** A whole request, body included: 256 KiB at most, so a minute is generous. */
const REQUEST_TIMEOUT_MS = 60_000;
/** A connection with TLS done on which nothing moves either way (it never sends, or never reads our reply). */
export const DEFAULT_IDLE_SOCKET_TIMEOUT_MS = 60_000;
/** How many sweeps per idle timeout: a silent socket goes between 1 and 1 + 1/SWEEPS timeouts after its last byte. */
const SWEEPS = 6;

export interface ConnectionLimitOptions {
  maxConnections?: number;
  handshakeTimeoutMs?: number;
  /** Tests shorten it; default {@link DEFAULT_IDLE_SOCKET_TIMEOUT_MS}. */
  idleSocketTimeoutMs?: number;
}

/** The parts that are createServer options. */
export function connectionLimits(options: ConnectionLimitOptions): Pick<ServerOptions, "handshakeTimeout" | "keepAliveTimeout" | "headersTimeout" | "requestTimeout"> {
  return {
    handshakeTimeout: options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    headersTimeout: HEADERS_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
  };
}

/** The parts that are set on the server: the cap, and an idle deadline on every TLS connection. */
export function limitConnections(server: Server, options: ConnectionLimitOptions): void {
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  sweepIdleSockets(server, options.idleSocketTimeoutMs ?? DEFAULT_IDLE_SOCKET_TIMEOUT_MS);
  // A handshake that times out is a client's failure, already answered by closing: not an error.
  server.on("tlsClientError", (_error, socket) => socket.destroy());
}

/**
 * The idle deadline as one sweep per listener instead of `server.timeout`: with that, Node re-arms
 * a socket timer (a new Timeout object) on every request of a keep-alive connection, which cost
 * ~5 µs of a ~40 µs GET under load (bench/README.md). Here a request costs nothing: every
 * timeout/SWEEPS the sweep looks at each connection's byte counters, and ends those on which
 * nothing moved for the whole timeout.
 */
function sweepIdleSockets(server: Server, timeoutMs: number): void {
  const seen = new Map<TLSSocket, { bytes: number; since: number }>();
  server.on("secureConnection", (socket: TLSSocket) => {
    seen.set(socket, { bytes: -1, since: 0 });
    socket.once("close", () => seen.delete(socket));
  });
  const timer = setInterval(() => {
    const now = performance.now();
    for (const [socket, last] of seen) {
      const bytes = socket.bytesRead + socket.bytesWritten;
      if (bytes !== last.bytes) {
        last.bytes = bytes;
        last.since = now;
      } else if (now - last.since >= timeoutMs) {
        seen.delete(socket);
        socket.destroy();
      }
    }
  }, Math.max(1, Math.floor(timeoutMs / SWEEPS)));
  timer.unref();
  server.once("close", () => clearInterval(timer));
}
