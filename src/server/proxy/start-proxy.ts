import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { TLSSocket } from "node:tls";
import { ConfigurationError, UnavailableError } from "../../core/errors.js";
import { shorten } from "../errors.js";
import type { VaultHandler, VaultRequest, VaultResponse } from "../handler.js";
import { answerClientError, createNodeListener } from "../node-listener.js";
import { createConnectProxy, refusal, type TunnelDecision } from "./connect-proxy.js";
import { classifyHost } from "./intercepted-hosts.js";
import { createTunnelHandler } from "./tunnel-handler.js";

export interface ProxyStartOptions {
  /** Loopback address to bind (the server's own --host). */
  host: string;
  /** 0: any free port. */
  port: number;
  tls: { key: string; cert: string };
  vaults: ReadonlyMap<string, VaultHandler>;
  identity: (request: VaultRequest) => VaultResponse | Promise<VaultResponse> | undefined;
  vaultSuffixes: readonly string[];
  accessLog?: (line: string) => void;
  closing: () => boolean;
}

export interface RunningProxy {
  /** `http://127.0.0.1:PORT`: what HTTPS_PROXY names. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK_BIND = /^(?:127(?:\.\d{1,3}){3}|::1|\[::1\]|localhost)$/i;

/**
 * Starts `vault serve --proxy`: the CONNECT listener on loopback, and the TLS server (never bound
 * to a port) that tunnels are handed to. The Host header must name the host the client asked TLS
 * for (SNI) where it sent one, so one tunnel cannot be used to reach another name.
 */
export async function startProxy(options: ProxyStartOptions): Promise<RunningProxy> {
  if (!LOOPBACK_BIND.test(options.host)) {
    throw new ConfigurationError(`Refusing to run the proxy on ${shorten(options.host, 60)}: it listens on loopback only (--host 127.0.0.1, ::1 or localhost).`);
  }
  const tunnels: HttpsServer = createHttpsServer({ key: options.tls.key, cert: options.tls.cert });
  tunnels.on("clientError", answerClientError);
  // It never listens, so Node's headersTimeout/requestTimeout checks (run for listening servers)
  // do not cover its sockets: an idle limit does, closing a tunnel silent for two minutes.
  tunnels.timeout = 120_000;
  // Nor does Node track its connections for closeAllConnections().
  const open = new Set<Duplex>();
  tunnels.on("connection", (socket: Duplex) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
  });
  const listener = createNodeListener(createTunnelHandler(options), options.closing);
  tunnels.on("request", (req, res) => {
    const sni = (req.socket as TLSSocket).servername;
    const host = (req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
    if (typeof sni === "string" && sni !== "" && host !== "" && host !== sni.toLowerCase()) {
      res.writeHead(421, { "content-type": "application/json; charset=utf-8", connection: "close" });
      res.end(JSON.stringify({ error: { code: "MisdirectedRequest", message: `The Host header does not name the host this connection was opened for (${shorten(sni, 80)}).` } }));
      return;
    }
    listener(req, res);
  });
  const decide = (hostname: string, port: number): TunnelDecision => {
    const kind = port === 443 ? classifyHost(hostname, options.vaultSuffixes) : undefined;
    if (!kind) {
      return refusal(403, `orbitra proxy: ${shorten(hostname, 100)}:${port} is not a host this server answers for; nothing is forwarded.`, "not an intercepted host");
    }
    if (kind.kind === "vault" && !options.vaults.has(kind.name)) {
      const served = [...options.vaults.keys()].join(", ");
      return {
        status: 404,
        contentType: "application/json; charset=utf-8",
        body: JSON.stringify({ error: { code: "VaultNotFound", message: `No vault named '${shorten(kind.name, 63)}' is served here. Vaults: ${served}.` } }),
        reason: `no vault '${shorten(kind.name, 63)}' (vaults served: ${served})`,
      };
    }
    return { server: tunnels, label: kind.kind === "vault" ? `vault ${kind.name}` : kind.kind };
  };
  const proxy = createConnectProxy({ decide, ...(options.accessLog ? { accessLog: options.accessLog } : {}) });
  const port = await listenProxy(proxy, options.port, options.host);
  const host = options.host.replace(/^\[|\]$/g, "");
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Called once the vault listeners have drained: what is still tunnelled is idle keep-alive.
        for (const socket of open) socket.destroy();
        proxy.close(() => resolve());
        proxy.closeAllConnections();
      }),
  };
}

function listenProxy(server: HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new UnavailableError(
          error.code === "EADDRINUSE"
            ? `Proxy port ${port} on ${host} is already in use: pick another --proxy-port (0 takes any free one).`
            : `Cannot listen on ${host}:${port} for the proxy: ${error.message}.`,
        ),
      ),
    );
    server.listen(port, host.replace(/^\[|\]$/g, ""), () => resolve((server.address() as AddressInfo).port));
  });
}
