import { request as httpRequest } from "node:http";
import { connect as tlsConnect } from "node:tls";
import type { Socket } from "node:net";

export interface ConnectAnswer {
  status: number;
  body: string;
  /** The tunnel, when the proxy answered 200. */
  socket?: Socket;
}

/** Sends `CONNECT target` to the proxy and returns its answer (and the raw tunnel on 200). */
export function connectThrough(proxyUrl: string, target: string): Promise<ConnectAnswer> {
  const proxy = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: proxy.hostname, port: proxy.port, method: "CONNECT", path: target, agent: false });
    req.on("connect", (res, socket, head: Buffer) => {
      if (res.statusCode === 200) {
        resolve({ status: 200, body: "", socket });
        return;
      }
      const chunks: Buffer[] = [head];
      socket.on("data", (c: Buffer) => chunks.push(c));
      socket.on("end", () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString("utf8") }));
      socket.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

export interface TunnelResponse {
  status: number;
  headers: string;
  body: string;
}

/**
 * One HTTPS request inside a fresh tunnel to `target` (`host:443`), TLS checked against `ca` for
 * `servername` (default: the target's host), with the raw request line and headers given.
 */
export async function requestThroughTunnel(
  proxyUrl: string,
  target: string,
  ca: string,
  raw: { method?: string; path: string; host: string; headers?: Record<string, string>; body?: string; servername?: string },
): Promise<TunnelResponse> {
  const answer = await connectThrough(proxyUrl, target);
  if (!answer.socket) throw new Error(`CONNECT ${target} answered ${answer.status}`);
  const servername = raw.servername ?? target.replace(/:\d+$/, "");
  const tls = tlsConnect({ socket: answer.socket, servername, ca });
  const headers = { host: raw.host, connection: "close", ...(raw.body !== undefined ? { "content-length": String(Buffer.byteLength(raw.body)) } : {}), ...raw.headers };
  const text =
    `${raw.method ?? "GET"} ${raw.path} HTTP/1.1\r\n` +
    Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join("") +
    `\r\n${raw.body ?? ""}`;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    tls.on("secureConnect", () => tls.write(text));
    tls.on("data", (c: Buffer) => chunks.push(c));
    tls.on("error", reject);
    tls.on("end", () => {
      const all = Buffer.concat(chunks).toString("utf8");
      const split = all.indexOf("\r\n\r\n");
      const head = all.slice(0, split);
      resolve({ status: Number(head.split(" ")[1]), headers: head, body: all.slice(split + 4) });
    });
  });
}
