// The JavaScript of a cached GET without the network: serve.ts's chain (guardHost, the node
// listener, the handler, the store's read cache) driven with fake node `req`/`res` objects, two
// requests per event-loop turn, against a bare listener that does what bench/server-get.ts's bare
// side does (a UUID, the same three headers, the body). Prints µs per request of each and the
// ratio; SIDE=orbitra or SIDE=bare runs one side only, for instruction counts that the box's load
// cannot move (bench/README.md, "Server GET"):
//
//   npx esbuild bench/server-chain.ts --bundle --platform=node --format=esm --outfile=node_modules/.cache/server-chain.mjs \
//     --external:@peculiar/* --external:reflect-metadata --external:hono --external:@hono/* --external:node-forge
//   N=20000 SIDE=orbitra ROUNDS=1 valgrind --tool=callgrind node node_modules/.cache/server-chain.mjs   # and N=60000: difference / 40000
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { createVaultHandler } from "../src/server/handler.js";
import { createNodeListener } from "../src/server/node-listener.js";
import { guardHost, ServerNames } from "../src/server/server-names.js";
import { defaultSans } from "../src/server/tls.js";
import { LocalVault } from "../src/store/local-vault.js";

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

const N = Number(process.env.N ?? 200_000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const SIDES = process.env.SIDE ? [process.env.SIDE] : ["bare", "orbitra"];

const dir = mkdtempSync(join(tmpdir(), "orbitra-bench-chain-"));
const vault = LocalVault.open({ path: join(dir, "default.db"), env: {}, readCacheEntries: 1000 });
vault.setBusyTimeout(0);
vault.setSecret("bench-secret", "x".repeat(32), { contentType: "text/plain" });
const names = new ServerNames(defaultSans(["default.localhost"]));
names.addPort(8443);
const handler = createVaultHandler({ vault, vaults: new Map([["default", { name: "default", store: vault }]]), fallbackOrigin: "https://127.0.0.1:8443" });

let written = 0;
const res = {
  writeHead: (_status: number, headers: Record<string, string>) => (written += headers["content-length"]!.length),
  end: (body: string) => (written += body.length),
  destroy: () => undefined,
};
const req = {
  method: "GET",
  url: "/secrets/bench-secret/?api-version=2025-07-01",
  rawHeaders: ["Host", "127.0.0.1:8443", "Authorization", "Bearer bench"],
  socket: { remoteAddress: "127.0.0.1" },
  readableEnded: true,
};
const body = vault.getSecret("bench-secret").value.reveal().padEnd(289, " ");
const listeners: Record<string, Listener> = {
  orbitra: createNodeListener(guardHost(names, handler), () => false),
  bare: (_req, reply) => {
    reply.writeHead(200, { "x-ms-request-id": randomUUID(), "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(body)) });
    reply.end(body);
  },
};

async function run(listener: Listener): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < N; i += 2) {
    listener(req as unknown as IncomingMessage, res as unknown as ServerResponse);
    listener(req as unknown as IncomingMessage, res as unknown as ServerResponse);
    await nextTurn();
  }
  return ((performance.now() - started) * 1000) / N;
}

const best: Record<string, number> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const side of round % 2 === 0 ? SIDES : [...SIDES].reverse()) {
    const us = await run(listeners[side]!);
    best[side] = Math.min(best[side] ?? Infinity, us);
  }
}
vault.close();
rmSync(dir, { recursive: true, force: true });
for (const side of SIDES) console.log(`${side.padEnd(8)} ${best[side]!.toFixed(2)} µs/request (best of ${ROUNDS} x ${N}, a turn per 2 requests)`);
if (best.bare !== undefined && best.orbitra !== undefined) console.log(`orbitra / bare time: ${(best.orbitra / best.bare).toFixed(2)}`);
if (written === 0) throw new Error("nothing was written");
