// One side of bench/server-get.ts, in its own process: argv[2] is "orbitra", "stub" or "bare",
// argv[3] a data folder. "stub" is the server exactly as serve.ts assembles it (node:https, the
// node listener, the handler) over an in-memory stand-in for the store: the server layer alone. Sends {url, path} over IPC when listening; on "start"/"stop" messages it measures
// its own CPU time, so the report can give server CPU per request as well as throughput.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createVaultHandler } from "../src/server/handler.js";
import { createNodeListener } from "../src/server/node-listener.js";
import { startVaultServer } from "../src/server/serve.js";
import { defaultSans, ensureTlsMaterial } from "../src/server/tls.js";
import { LocalVault } from "../src/store/local-vault.js";

const [kind, dataDir] = process.argv.slice(2) as ["orbitra" | "stub" | "bare", string];
const path = "/secrets/bench-secret/?api-version=2025-07-01";
const VALUE = "x".repeat(32);

async function orbitra(): Promise<string> {
  const seedDir = join(dataDir, "orbitra");
  const seed = LocalVault.open({ path: join(seedDir, "default.db"), env: {} });
  seed.setSecret("bench-secret", VALUE, { contentType: "text/plain" });
  // A list page of 25 (Key Vault's default) out of 100.
  for (let i = 0; i < 100; i++) seed.setSecret(`list-${String(i).padStart(3, "0")}`, VALUE, { contentType: "text/plain" });
  seed.close();
  // With the web console on, as `vault serve` runs by default (the bundle here cannot find dist/console
  // by itself); NO_CONSOLE=1 measures the server without it, to check the console costs GETs nothing.
  // From the bundle in node_modules/.cache/orbitra-bench, or from bench/ (FROM_SOURCE).
  const consoleDir = [join(import.meta.dirname, "..", "..", "..", "dist", "console"), join(import.meta.dirname, "..", "dist", "console")].find((d) => existsSync(join(d, "index.html")));
  const withConsole = !process.env.NO_CONSOLE && consoleDir !== undefined;
  const running = await startVaultServer({ dataDir: seedDir, port: 0, env: {}, console: withConsole ? { dir: consoleDir! } : false });
  if (!running.vaults[0]!.consoleUrl === withConsole) throw new Error("console setting not applied");
  return running.vaults[0]!.url;
}

async function stub(): Promise<string> {
  const stubDir = join(dataDir, "stub");
  const seed = LocalVault.open({ path: join(stubDir, "default.db"), env: {} });
  const stored = seed.setSecret("bench-secret", VALUE, { contentType: "text/plain" });
  seed.close();
  const value = { reveal: () => VALUE };
  const store = { secrets: { getSecret: () => ({ secret: stored, value }) } } as unknown as LocalVault;
  const tls = await ensureTlsMaterial(stubDir, defaultSans(["default.localhost"]));
  const server = createServer({ key: tls.key, cert: tls.cert }, createNodeListener(createVaultHandler({ vault: store }), () => false));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * The bodies the bare server answers: by default one shaped and sized like the orbitra side's GET;
 * the parent may send the orbitra side's real replies ({ get, list, set }) over IPC first.
 */
const bodies = {
  get: JSON.stringify({
    value: VALUE,
    id: "https://127.0.0.1:40000/secrets/bench-secret/0123456789abcdef0123456789abcdef",
    contentType: "text/plain",
    attributes: { enabled: true, created: 1700000000, updated: 1700000000, recoveryLevel: "Recoverable+Purgeable", recoverableDays: 90 },
  }),
  list: "",
  set: "",
};

async function bare(): Promise<string> {
  // The same certificate and key type as the orbitra side; a reply shaped and sized like its.
  const tls = await ensureTlsMaterial(join(dataDir, "bare"), defaultSans(["default.localhost"]));
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const body = req.method === "PUT" ? bodies.set : req.url!.startsWith("/secrets?") ? bodies.list : bodies.get;
    const reply = () => {
      res.writeHead(200, {
        "x-ms-request-id": randomUUID(),
        "content-type": "application/json; charset=utf-8",
        "content-length": String(Buffer.byteLength(body)),
      });
      res.end(body);
    };
    // A PUT's body is read, as the orbitra side reads it.
    if (req.method === "PUT") req.resume().on("end", reply);
    else reply();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const url = kind === "orbitra" ? await orbitra() : kind === "stub" ? await stub() : await bare();
let startCpu = process.cpuUsage();
process.on("message", (message) => {
  if (message === "start") startCpu = process.cpuUsage();
  if (message === "stop") {
    const used = process.cpuUsage(startCpu);
    process.send!({ cpuMs: (used.user + used.system) / 1000 });
  }
  if (message === "exit") process.exit(0);
  if (typeof message === "object" && message !== null && "bodies" in message) Object.assign(bodies, (message as { bodies: object }).bodies);
});
process.send!({ url, path });
