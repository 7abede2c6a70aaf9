// Bulk reads through `orbitra vault serve`, two parts in one run. Needs `npm run build` first
// (starts dist/bin/orbitra.cjs).
//
// 1. Latency: 1,000 secrets with 20 ms injected per request; the library's getSecrets (bounded
//    concurrency, default limiter) against a serial loop over the official SecretClient.
// 2. Key Vault's limit: 10,000 secrets against `vault serve --rate-limit azure` (4,000 per trailing
//    10 s, 429 + Retry-After beyond). The floor the limit allows: two full windows (20 s), then the
//    last 2,000 as fast as an unlimited server answers them, measured in the same run against a
//    second server on the same vault file without the limit. getSecrets with WindowRateLimiter
//    (KEY_VAULT_WINDOW) must finish within 1.2x of that floor with no 429; then a client that
//    ignores the limit (a limiter with no effective bound) shows that the server's Retry-After
//    brings every read home anyway.
//
//   npm run build && node --import tsx bench/bulk-read.ts     (COUNT=1000 LATENCY=20 LIMITED=10000; PART=1 or 2)
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretClient } from "@azure/keyvault-secrets";
import { getSecretsClient } from "../src/client/get-secrets-client.js";
import { RateLimiter, KEY_VAULT_RATE_LIMIT, KEY_VAULT_WINDOW, WindowRateLimiter, type RequestLimiter } from "../src/client/rate-limiter.js";
import { LocalVault } from "../src/store/local-vault.js";

const COUNT = Number(process.env.COUNT ?? 1000);
const LATENCY = Number(process.env.LATENCY ?? 20);
const LIMITED = Number(process.env.LIMITED ?? 10_000);
const PART = process.env.PART;
const bin = join(import.meta.dirname, "..", "dist", "bin", "orbitra.cjs");
const credential = { getToken: async () => ({ token: "bench", expiresOnTimestamp: Date.now() + 3600_000 }) };

interface Served {
  child: ChildProcess;
  url: string;
  caFile: string;
  log: () => string;
}

/** Prefills the store directly: creating thousands of secrets over the API would take Key Vault's create limit. */
function prefill(dataDir: string, names: string[]): void {
  const store = LocalVault.open({ path: join(dataDir, "default.db"), env: {} });
  for (const name of names) store.setSecret(name, `value-of-${name}`);
  store.close();
}

async function serve(home: string, dataDir: string, extra: string[]): Promise<Served> {
  const child = spawn(process.execPath, [bin, "vault", "serve", "--port", "0", "--json", "--no-console", "--data", dataDir, ...extra], {
    env: { ...process.env, ORBITRA_HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stderr!.on("data", (d) => (log += d));
  const ready = await new Promise<{ vaults: { url: string }[]; caFile: string }>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(JSON.parse(out.split("\n")[0]!));
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}: ${log}`)));
  });
  return { child, url: ready.vaults[0]!.url, caFile: ready.caFile, log: () => log };
}

async function stop(server: Served): Promise<void> {
  server.child.kill("SIGTERM");
  await new Promise((resolve) => server.child.on("exit", resolve));
}

/** Requests per `status` in the server's log, and the busiest 10-second window of 200 GETs. */
function fromLog(log: string, since: number): { worst: number; throttled: number } {
  const lines = log.split("\n").filter((l) => / GET \/secrets\//.test(l) && Date.parse(l.slice(0, 24)) >= since);
  const times = lines.filter((l) => / 200 /.test(l)).map((l) => Date.parse(l.slice(0, 24)));
  let worst = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 10_000) j++;
    worst = Math.max(worst, i - j + 1);
  }
  return { worst, throttled: lines.filter((l) => / 429 /.test(l)).length };
}

function clientFor(server: Served, home: string) {
  return getSecretsClient({ keyVault: server.url, environment: "bench", env: { ORBITRA_HOME: home, ORBITRA_CA_FILE_BENCH: server.caFile }, cwd: home });
}

async function timedRead(server: Served, home: string, names: string[], limiter: RequestLimiter): Promise<{ ms: number; wrong: number }> {
  const client = clientFor(server, home);
  try {
    // The challenge handshake, outside the timing; paid for with the limiter, as the server counts it.
    await limiter.acquire();
    await client.getSecret(names[0]!);
    const start = performance.now();
    const progress = process.env.PROGRESS
      ? (done: number, total: number) => done % 1000 === 0 && console.error(`  ${done}/${total} at ${((performance.now() - start) / 1000).toFixed(1)} s`)
      : undefined;
    const values = await client.getSecrets(names, { limiter, ...(progress ? { onProgress: progress } : {}) });
    const ms = performance.now() - start;
    let wrong = 0;
    for (const name of names) if (!values.get(name)?.equals(`value-of-${name}`)) wrong++;
    return { ms, wrong };
  } finally {
    await client.close();
  }
}

async function latencyPart(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), "orbitra-bench-bulk-"));
  const dataDir = join(home, "server");
  const names = Array.from({ length: COUNT }, (_, i) => `bulk-${String(i).padStart(4, "0")}`);
  prefill(dataDir, names);
  const server = await serve(home, dataDir, ["--latency", String(LATENCY)]);
  try {
    const ca = readFileSync(server.caFile);
    const sdk = new SecretClient(server.url, credential, { tlsOptions: { ca }, disableChallengeResourceVerification: true });
    await sdk.getSecret(names[0]!);
    const start = performance.now();
    for (const name of names) {
      const secret = await sdk.getSecret(name);
      if (secret.value !== `value-of-${name}`) throw new Error(`wrong value for ${name}`);
    }
    const serialMs = performance.now() - start;
    const since = Date.now();
    const bulk = await timedRead(server, home, names, new RateLimiter({ ...KEY_VAULT_RATE_LIMIT }));
    const seen = fromLog(server.log(), since);
    console.log(`${COUNT} secrets, ${LATENCY} ms injected latency per request, HTTPS on loopback:`);
    console.log(`  official SecretClient, serial loop   ${(serialMs / 1000).toFixed(2)} s`);
    console.log(`  orbitra getSecrets                   ${(bulk.ms / 1000).toFixed(2)} s  (wrong or missing values: ${bulk.wrong})`);
    console.log(`  speed-up: ${(serialMs / bulk.ms).toFixed(1)}x (target >= 20x)`);
    console.log(`  busiest 10 s window at the server: ${seen.worst} GETs (Key Vault's limit: 4,000; 429s seen: ${seen.throttled})`);
  } finally {
    await stop(server);
    rmSync(home, { recursive: true, force: true });
  }
}

async function limitPart(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), "orbitra-bench-bulk-"));
  const dataDir = join(home, "server");
  const names = Array.from({ length: LIMITED }, (_, i) => `bulk-${String(i).padStart(5, "0")}`);
  prefill(dataDir, names);
  const limited = await serve(home, dataDir, ["--rate-limit", "azure"]);
  const free = await serve(home, dataDir, []);
  try {
    // The floor: full windows, then the rest unthrottled (measured here, against the free server).
    const full = Math.floor((LIMITED - 1) / 4000);
    const rest = names.slice(full * 4000);
    const restRead = await timedRead(free, home, rest, new RateLimiter({ ratePerSecond: 1e9, burst: 1e9 }));
    const floorMs = full * 10_000 + restRead.ms;

    let since = Date.now();
    const windowed = await timedRead(limited, home, names, new WindowRateLimiter({ ...KEY_VAULT_WINDOW }));
    const seen = fromLog(limited.log(), since);

    await new Promise((resolve) => setTimeout(resolve, 10_500)); // an empty window for the next client
    since = Date.now();
    const greedy = await timedRead(limited, home, names, new RateLimiter({ ratePerSecond: 1e9, burst: 1e9 }));
    const greedySeen = fromLog(limited.log(), since);

    console.log(`\n${LIMITED} secrets against vault serve --rate-limit azure (4,000 per trailing 10 s), HTTPS on loopback:`);
    console.log(`  floor: ${full} full windows + the last ${rest.length} unthrottled (${(restRead.ms / 1000).toFixed(2)} s) = ${(floorMs / 1000).toFixed(2)} s`);
    console.log(
      `  getSecrets, WindowRateLimiter(KEY_VAULT_WINDOW)   ${(windowed.ms / 1000).toFixed(2)} s = ${(windowed.ms / floorMs).toFixed(2)}x the floor (target <= 1.2x); ` +
        `429s ${seen.throttled}, wrong or missing ${windowed.wrong}, busiest 10 s window ${seen.worst}`,
    );
    console.log(
      `  getSecrets, no client-side limit (Retry-After only)  ${(greedy.ms / 1000).toFixed(2)} s = ${(greedy.ms / floorMs).toFixed(2)}x; ` +
        `429s ${greedySeen.throttled}, wrong or missing ${greedy.wrong}, busiest 10 s window ${greedySeen.worst}`,
    );
  } finally {
    await stop(limited);
    await stop(free);
    rmSync(home, { recursive: true, force: true });
  }
}

if (PART !== "2") await latencyPart();
if (PART !== "1") await limitPart();
