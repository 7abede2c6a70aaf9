// GET of one secret through `vault serve --proxy` (keep-alive tunnels to
// https://default.vault.azure.net) against GET straight to the vault's port (keep-alive), same
// server, same run, rounds alternating so that noise lands on both. The server runs here; the load
// comes from a separate Node process (bench/proxy-get-load.ts) with keep-alive agents, because
// wrk and autocannon cannot speak through a CONNECT proxy. Reported: requests/s per side and the
// ratio proxy / direct (target >= 0.9).
//
//   node --import tsx bench/proxy-get.ts        # ROUNDS=4 DURATION=4 CONNECTIONS=10
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretStr } from "../src/core/secret-str.js";
import { startVaultServer } from "../src/server/serve.js";

const ROUNDS = Number(process.env.ROUNDS ?? 4);
const DURATION = Number(process.env.DURATION ?? 4);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 10);

const dataDir = mkdtempSync(join(tmpdir(), "orbitra-bench-proxy-"));
const server = await startVaultServer({ dataDir, port: 0, env: {}, proxy: {} });
server.store().setSecret("bench", new SecretStr("x".repeat(64)));
const loader = fork(join(import.meta.dirname, "proxy-get-load.ts"), [], { execArgv: ["--import", "tsx"] });
await new Promise((resolve) => loader.once("message", resolve));

type Mode = "direct" | "proxy";
const run = (mode: Mode, seconds: number) =>
  new Promise<{ requests: number; failures: number; seconds: number }>((resolve) => {
    loader.once("message", (m) => resolve(m as { requests: number; failures: number; seconds: number }));
    loader.send({
      mode,
      directUrl: server.vaults[0]!.url,
      proxyUrl: server.proxy!.url,
      azureHost: "default.vault.azure.net",
      path: "/secrets/bench/?api-version=7.5",
      ca: server.ca,
      connections: CONNECTIONS,
      seconds,
    });
  });

const totals: Record<Mode, { requests: number; seconds: number; failures: number }> = {
  direct: { requests: 0, seconds: 0, failures: 0 },
  proxy: { requests: 0, seconds: 0, failures: 0 },
};
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of round % 2 === 0 ? (["direct", "proxy"] as const) : (["proxy", "direct"] as const)) {
      await run(mode, 1); // warm-up: JIT, TLS handshakes, tunnels; discarded
      const result = await run(mode, DURATION);
      totals[mode].requests += result.requests;
      totals[mode].seconds += result.seconds;
      totals[mode].failures += result.failures;
    }
  }
  const rps = (mode: Mode) => totals[mode].requests / totals[mode].seconds;
  console.log(`GET one secret, HTTPS keep-alive, ${CONNECTIONS} connections, ${ROUNDS} x ${DURATION} s per side, alternating (server from source via tsx):`);
  for (const mode of ["direct", "proxy"] as const) {
    console.log(`  ${mode.padEnd(8)} ${rps(mode).toFixed(0).padStart(7)} req/s   failures ${totals[mode].failures}`);
  }
  console.log(`  throughput, proxy / direct: ${(rps("proxy") / rps("direct")).toFixed(2)} (target >= 0.9)`);
} finally {
  loader.send("exit");
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
