// Reading 1,000 secrets through `orbitra vault serve` with 20 ms injected latency per request:
// the library's getSecrets (bounded concurrency, rate-limited under Key Vault's published limit)
// against a serial loop over the official SecretClient, in the same run, against the same server.
// The server's access log is counted afterwards: no 10-second window may exceed Key Vault's
// 4,000 transactions (docs/keyvault-wire.md §11.2). Needs `npm run build` first (starts dist/bin/orbitra.cjs).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretClient } from "@azure/keyvault-secrets";
import { getSecretsClient } from "../src/client/get-secrets-client.js";
import { RateLimiter, KEY_VAULT_RATE_LIMIT } from "../src/client/rate-limiter.js";
import { LocalVault } from "../src/store/local-vault.js";

const COUNT = Number(process.env.COUNT ?? 1000);
const LATENCY = Number(process.env.LATENCY ?? 20);
const home = mkdtempSync(join(tmpdir(), "orbitra-bench-bulk-"));
const dataDir = join(home, "server");
const names = Array.from({ length: COUNT }, (_, i) => `bulk-${String(i).padStart(4, "0")}`);

// Prefill the store directly: creating 1,000 secrets over the API would take Key Vault's create limit.
const store = LocalVault.open({ path: join(dataDir, "default.db"), env: {} });
for (const name of names) store.setSecret(name, `value-of-${name}`);
store.close();

const bin = join(import.meta.dirname, "..", "dist", "bin", "orbitra.cjs");
const server = spawn(process.execPath, [bin, "vault", "serve", "--port", "0", "--json", "--data", dataDir, "--latency", String(LATENCY)], {
  env: { ...process.env, ORBITRA_HOME: home },
  stdio: ["ignore", "pipe", "pipe"],
});
let log = "";
server.stderr.on("data", (d) => (log += d));
const ready = await new Promise<{ vaults: { url: string }[]; caFile: string }>((resolve, reject) => {
  let out = "";
  server.stdout.on("data", (d) => {
    out += d;
    if (out.includes("\n")) resolve(JSON.parse(out.split("\n")[0]!));
  });
  server.on("exit", (code) => reject(new Error(`server exited ${code}: ${log}`)));
});
const url = ready.vaults[0]!.url;
const ca = readFileSync(ready.caFile);
const credential = { getToken: async () => ({ token: "bench", expiresOnTimestamp: Date.now() + 3600_000 }) };

try {
  // Baseline: the official SDK, one request after another.
  const sdk = new SecretClient(url, credential, { tlsOptions: { ca }, disableChallengeResourceVerification: true });
  await sdk.getSecret(names[0]!); // challenge handshake outside the timing, as for ours below
  let start = performance.now();
  for (const name of names) {
    const secret = await sdk.getSecret(name);
    if (secret.value !== `value-of-${name}`) throw new Error(`wrong value for ${name}`);
  }
  const serialMs = performance.now() - start;

  const client = getSecretsClient({ keyVault: url, environment: "bench", env: { ORBITRA_HOME: home, ORBITRA_CA_FILE_BENCH: ready.caFile }, cwd: home });
  await client.getSecret(names[0]!);
  start = performance.now();
  const values = await client.getSecrets(names, { limiter: new RateLimiter({ ...KEY_VAULT_RATE_LIMIT }) });
  const bulkMs = performance.now() - start;
  let wrong = 0;
  for (const name of names) if (!values.get(name)?.equals(`value-of-${name}`)) wrong++;
  await client.close();

  // Requests per 10 s window, from the server's own log (one line per request with a timestamp).
  const times = log
    .split("\n")
    .filter((l) => / GET \/secrets\//.test(l) && / 200 /.test(l))
    .map((l) => Date.parse(l.slice(0, 24)));
  let worst = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 10_000) j++;
    worst = Math.max(worst, i - j + 1);
  }
  console.log(`${COUNT} secrets, ${LATENCY} ms injected latency per request, HTTPS on loopback:`);
  console.log(`  official SecretClient, serial loop   ${(serialMs / 1000).toFixed(2)} s`);
  console.log(`  orbitra getSecrets                   ${(bulkMs / 1000).toFixed(2)} s  (wrong or missing values: ${wrong})`);
  console.log(`  speed-up: ${(serialMs / bulkMs).toFixed(1)}x (target >= 20x)`);
  console.log(`  busiest 10 s window at the server: ${worst} GETs (Key Vault's limit: 4,000; 429s seen: ${(log.match(/ 429 /g) ?? []).length})`);
} finally {
  server.kill("SIGTERM");
  await new Promise((resolve) => server.on("exit", resolve));
  rmSync(home, { recursive: true, force: true });
}
