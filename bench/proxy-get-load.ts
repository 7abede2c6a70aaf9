// Load generator for bench/proxy-get.ts, in its own process: CONNECTIONS loops of GET one secret
// over keep-alive HTTPS agents, either straight to the vault's port or through the CONNECT proxy
// (each agent socket is one tunnel, opened once and kept alive). Told what to do over IPC.
import { request as httpRequest } from "node:http";
import { Agent, request as httpsRequest } from "node:https";
import type { Duplex } from "node:stream";
import { connect as tlsConnect, type TLSSocket } from "node:tls";

interface Job {
  mode: "direct" | "proxy";
  directUrl: string;
  proxyUrl: string;
  azureHost: string;
  path: string;
  ca: string;
  connections: number;
  seconds: number;
}

/** An https.Agent whose sockets are TLS inside a CONNECT tunnel, as https-proxy-agent builds them. */
class TunnelAgent extends Agent {
  constructor(
    private readonly proxyUrl: URL,
    private readonly ca: string,
  ) {
    super({ keepAlive: true, maxSockets: Infinity });
  }
  override createConnection(options: { host?: string; port?: number; servername?: string }, callback: (error: Error | null, socket?: Duplex) => void): undefined {
    const target = `${options.host}:${options.port ?? 443}`;
    const req = httpRequest({ host: this.proxyUrl.hostname, port: this.proxyUrl.port, method: "CONNECT", path: target, agent: false });
    req.on("connect", (res, socket) => {
      if (res.statusCode !== 200) return callback(new Error(`CONNECT ${target}: ${res.statusCode}`));
      const tls: TLSSocket = tlsConnect({ socket, servername: options.servername ?? options.host!, ca: this.ca });
      tls.once("secureConnect", () => callback(null, tls));
      tls.once("error", (error) => callback(error));
    });
    req.on("error", (error) => callback(error));
    req.end();
    return undefined;
  }
}

async function runJob(job: Job): Promise<{ requests: number; failures: number; seconds: number }> {
  const direct = new URL(job.directUrl);
  const agent = job.mode === "direct" ? new Agent({ keepAlive: true, maxSockets: Infinity, ca: job.ca }) : new TunnelAgent(new URL(job.proxyUrl), job.ca);
  const host = job.mode === "direct" ? direct.hostname : job.azureHost;
  const port = job.mode === "direct" ? Number(direct.port) : 443;
  let requests = 0;
  let failures = 0;
  const started = performance.now();
  const until = started + job.seconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const req = httpsRequest({ host, port, path: job.path, agent, ca: job.ca, headers: { authorization: "Bearer bench" } }, (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode === 200) requests++;
          else failures++;
          resolve();
        });
      });
      req.on("error", () => {
        failures++;
        resolve();
      });
      req.end();
    });
  await Promise.all(
    Array.from({ length: job.connections }, async () => {
      while (performance.now() < until) await one();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { requests, failures, seconds };
}

process.on("message", (job: Job | "exit") => {
  if (job === "exit") process.exit(0);
  void runJob(job).then((result) => process.send!(result));
});
process.send!("ready");
