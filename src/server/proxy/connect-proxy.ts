import { createServer, STATUS_CODES, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import type { Server as TlsServer } from "node:tls";
import type { Duplex } from "node:stream";
import { formatAccessLine } from "../access-log.js";
import { shorten } from "../errors.js";

/** Where a CONNECT goes: a TLS server of this process (the socket is handed to it, no new connection), or a refusal. */
export type TunnelDecision = { server: TlsServer; label: string } | { status: number; body: string; contentType: string; reason: string };

export interface ConnectProxyOptions {
  /** Decides a `host:port` target; called only for well-formed targets from loopback clients. */
  decide(hostname: string, port: number): TunnelDecision;
  accessLog?: (line: string) => void;
}

const TARGET = /^([A-Za-z0-9.-]{1,253}):(\d{1,5})$/;
const LOOPBACK_PEER = /^(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/**
 * The HTTP CONNECT proxy of `vault serve --proxy`. A tunnel's client socket is emitted into one of
 * the server's own TLS servers as if it had connected there: TLS ends in this process and no
 * connection is opened to anything, so nothing can leave the machine, there is never a DNS lookup,
 * and a tunnelled request costs what a direct one does once the tunnel is up. Everything else
 * (other hosts, other ports, plain HTTP requests, peers that are not loopback) gets a 403.
 */
export function createConnectProxy(options: ConnectProxyOptions): HttpServer {
  const log = options.accessLog;
  const server = createServer();
  const logLine = (method: string, target: string, status: number, started: number, note?: string) =>
    log?.(formatAccessLine({ vault: "proxy", method, path: target, status, ms: performance.now() - started }) + (note ? ` ${note}` : ""));

  server.on("connection", (socket: Duplex & { remoteAddress?: string }) => {
    // Bound to loopback, so this never fires in practice; the check stays should the bind change.
    if (!LOOPBACK_PEER.test(socket.remoteAddress ?? "")) socket.destroy();
  });

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const body = "orbitra proxy: only HTTPS (CONNECT) to this server's Azure hosts is tunnelled; plain HTTP is refused and never forwarded.\n";
    res.writeHead(403, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(body), connection: "close" });
    res.end(body);
    logLine(req.method ?? "?", hostOf(req), 403, started, "refused: plain HTTP");
  });

  server.on("connect", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const started = performance.now();
    const target = req.url ?? "";
    socket.on("error", () => socket.destroy());
    const match = TARGET.exec(target);
    const decision: TunnelDecision = match
      ? options.decide(match[1]!.toLowerCase(), Number(match[2]))
      : refusal(400, `orbitra proxy: '${shorten(target, 80)}' is not a host:port CONNECT target.`, "malformed target");
    if ("server" in decision) {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) socket.unshift(head);
      decision.server.emit("connection", socket);
      logLine("CONNECT", target, 200, started, `-> ${decision.label}`);
      return;
    }
    socket.end(
      `HTTP/1.1 ${decision.status} ${STATUS_CODES[decision.status]}\r\ncontent-type: ${decision.contentType}\r\n` +
        `content-length: ${Buffer.byteLength(decision.body)}\r\nconnection: close\r\n\r\n${decision.body}`,
    );
    logLine("CONNECT", target, decision.status, started, `refused: ${decision.reason}`);
  });
  return server;
}

/** A plain-text refusal. */
export function refusal(status: number, message: string, reason: string): TunnelDecision {
  return { status, body: `${message}\n`, contentType: "text/plain; charset=utf-8", reason };
}

/** For the log: the host a plain-HTTP request was for, never its path or query (which may carry anything). */
function hostOf(req: IncomingMessage): string {
  const url = req.url ?? "";
  if (/^[a-z]+:\/\//i.test(url)) {
    try {
      return new URL(url).host;
    } catch {
      return "?";
    }
  }
  return req.headers.host ?? "?";
}
