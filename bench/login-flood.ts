// Authorized GET latency on a strict-mode server, idle and under a flood of bad client-secret
// logins sent from another process (issue 9 item 4). Sides, alternating per round:
//   idle          nobody else talks to the server
//   flood         RATE bad logins/s, default throttle (scrypt off the loop, failures rate-limited)
//   flood, no throttle   the same flood against a server whose throttle never engages: only
//                 the hashing is off the event loop (what the throttle adds is the difference)
// Each server and the flood run in their own processes; the GETs run here, one at a time on a
// keep-alive connection, with a token got once. Reported: p50 and p99 per side, and p50 ratios.
//
//   node --import tsx bench/login-flood.ts        # ROUNDS=3 REQUESTS=400 RATE=40
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { SERVER_TENANT } from "../src/server/identity/token-service.js";

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const REQUESTS = Number(process.env.REQUESTS ?? 400);
const RATE = Number(process.env.RATE ?? 40);
const script = join(import.meta.dirname, "login-flood-target.ts");

interface ServerInfo {
  child: ChildProcess;
  url: string;
  ca: string;
  clientId: string;
  secret: string;
}

function startServer(throttle: "on" | "off", dataDir: string): Promise<ServerInfo> {
  const child = fork(script, ["server", throttle, dataDir], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve({ child, ...(m as Omit<ServerInfo, "child">) }));
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
}

function send(server: ServerInfo, agent: Agent, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function token(server: ServerInfo, agent: Agent): Promise<string> {
  const form = new URLSearchParams({ grant_type: "client_credentials", client_id: server.clientId, client_secret: server.secret, scope: "https://vault.azure.net/.default" });
  const res = await send(server, agent, "POST", `/${SERVER_TENANT}/oauth2/v2.0/token`, { "content-type": "application/x-www-form-urlencoded" }, form.toString());
  if (res.status !== 200) throw new Error(`token: ${res.status} ${res.text}`);
  return (JSON.parse(res.text) as { access_token: string }).access_token;
}

/** Milliseconds per GET, sequential. */
async function measure(server: ServerInfo, agent: Agent, bearer: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const start = performance.now();
    const res = await send(server, agent, "GET", "/secrets/bench-secret?api-version=7.5", { authorization: `Bearer ${bearer}` });
    times.push(performance.now() - start);
    if (res.status !== 200) throw new Error(`GET: ${res.status} ${res.text}`);
  }
  return times;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

const dirs = [mkdtempSync(join(tmpdir(), "orbitra-bench-flood-")), mkdtempSync(join(tmpdir(), "orbitra-bench-flood-"))];
const throttled = await startServer("on", dirs[0]!);
const unthrottled = await startServer("off", dirs[1]!);
type Side = "idle" | "flood" | "flood, no throttle";
const samples: Record<Side, number[]> = { idle: [], flood: [], "flood, no throttle": [] };
try {
  for (let round = 0; round < ROUNDS; round++) {
    const order: Side[] = round % 2 === 0 ? ["idle", "flood", "flood, no throttle"] : ["flood, no throttle", "flood", "idle"];
    for (const side of order) {
      const server = side === "flood, no throttle" ? unthrottled : throttled;
      const agent = new Agent({ ca: server.ca, keepAlive: true, maxSockets: 1 });
      const bearer = await token(server, agent);
      let flood: ChildProcess | undefined;
      if (side !== "idle") {
        flood = fork(script, ["flood", server.url, server.ca, String(RATE)], { execArgv: ["--import", "tsx"], stdio: "inherit" });
        await sleep(1500); // the flood's start-up, and long enough for the throttle to engage
      }
      await measure(server, agent, bearer).then((t) => samples[side].push(...t));
      flood?.kill();
      if (flood) await new Promise((resolve) => flood.once("exit", resolve));
      agent.destroy();
      await sleep(500);
    }
  }
  const idle = quantile(samples.idle, 0.5);
  console.log(`Authorized GET, strict mode, sequential, ${ROUNDS} x ${REQUESTS} per side, ${RATE} bad logins/s from another process:`);
  for (const side of Object.keys(samples) as Side[]) {
    const s = samples[side];
    console.log(`  ${side.padEnd(20)} p50 ${quantile(s, 0.5).toFixed(2).padStart(7)} ms   p99 ${quantile(s, 0.99).toFixed(2).padStart(7)} ms   p50 / idle ${(quantile(s, 0.5) / idle).toFixed(2)}`);
  }
  console.log("  target: flood p50 / idle <= 2");
} finally {
  for (const s of [throttled, unthrottled]) s.child.send("exit");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
