// GET latency of `orbitra vault serve` idle and while one write waits for the vault's write lock,
// which another connection holds (issue 9 item 5: one blocked write used to stop every request for
// up to 5 s). The server is the shipped bin in its own process; the GETs, the lock holder and the
// waiting PUT run here. Sides alternate per round; reported: p50 and p99, and p50 against idle.
//
//   npm run build && node --import tsx bench/blocked-writer.ts     # ROUNDS=5 REQUESTS=300
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { createInterface } from "node:readline";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const REQUESTS = Number(process.env.REQUESTS ?? 300);
const bin = join(import.meta.dirname, "..", "dist", "bin", "orbitra.cjs");
const data = mkdtempSync(join(tmpdir(), "orbitra-bench-blocked-"));

const server = spawn(process.execPath, [bin, "vault", "serve", "--port", "0", "--json", "--quiet", "--data", data], {
  env: { PATH: process.env.PATH, ORBITRA_HOME: data },
  stdio: ["ignore", "pipe", "inherit"],
});
const ready = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: server.stdout! }).once("line", resolve))) as {
  vaults: { url: string }[];
  caFile: string;
};
const { hostname, port } = new URL(ready.vaults[0]!.url);
const agent = new Agent({ ca: readFileSync(ready.caFile), keepAlive: true, maxSockets: 4 });

function send(method: string, path: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, agent, headers: { authorization: "Bearer bench", "content-type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode!));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function gets(): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const start = performance.now();
    const status = await send("GET", "/secrets/bench-secret?api-version=7.5");
    times.push(performance.now() - start);
    if (status !== 200) throw new Error(`GET answered ${status}`);
  }
  return times;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const samples = { idle: [] as number[], "one write waiting": [] as number[] };
try {
  if ((await send("PUT", "/secrets/bench-secret?api-version=7.5", JSON.stringify({ value: "v" }))) !== 200) throw new Error("seeding failed");
  await gets(); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 === 0 ? (["idle", "one write waiting"] as const) : (["one write waiting", "idle"] as const)) {
      if (side === "idle") {
        samples.idle.push(...(await gets()));
        continue;
      }
      const holder = new DatabaseSync(join(data, "default.db"));
      holder.exec("BEGIN IMMEDIATE");
      const write = send("PUT", "/secrets/waiting?api-version=7.5", JSON.stringify({ value: "w" }));
      await new Promise((resolve) => setTimeout(resolve, 20)); // the PUT reaches the store and finds the lock taken
      samples[side].push(...(await gets()));
      holder.exec("COMMIT");
      holder.close();
      const status = await write;
      if (status !== 200) throw new Error(`the waiting PUT answered ${status}`);
    }
  }
  const idle = quantile(samples.idle, 0.5);
  console.log(`GET of one secret, sequential, keep-alive, ${ROUNDS} x ${REQUESTS} per side:`);
  for (const [side, s] of Object.entries(samples)) {
    console.log(`  ${side.padEnd(18)} p50 ${quantile(s, 0.5).toFixed(2).padStart(6)} ms   p99 ${quantile(s, 0.99).toFixed(2).padStart(6)} ms   p50 / idle ${(quantile(s, 0.5) / idle).toFixed(2)}`);
  }
} finally {
  agent.destroy();
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
  rmSync(data, { recursive: true, force: true });
}
