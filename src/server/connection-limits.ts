import type { Server, ServerOptions } from "node:https";

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
/** A connection with TLS done that never sends (or finishes) anything, between those stages. */
const IDLE_SOCKET_TIMEOUT_MS = 60_000;

export interface ConnectionLimitOptions {
  maxConnections?: number;
  handshakeTimeoutMs?: number;
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

/** The parts that are set on the server: the cap, and an idle timeout on every socket. */
export function limitConnections(server: Server, options: ConnectionLimitOptions): void {
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  server.timeout = IDLE_SOCKET_TIMEOUT_MS;
  // A handshake that times out is a client's failure, already answered by closing: not an error.
  server.on("tlsClientError", (_error, socket) => socket.destroy());
}
