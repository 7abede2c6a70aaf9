// The testing kit's two costs a test suite pays: `startLocalVault()` up to the first successful
// official-SDK get (what a test file's `before` costs), and `reset()` of a seeded vault (what each
// test's `beforeEach` costs). Baseline, in the same run: a bare node:https server with the same
// kind of certificate (made once by the server's own TLS code, loopback names) that answers the
// SDK's challenge and then one fixed secret, started and queried the same way by a new SecretClient.
// Rounds alternate between the sides; medians are compared. Reported as ratios to the baseline.
//
//   node --import tsx bench/testing-kit.ts          # ROUNDS=7 SEEDED=100
import { SecretClient } from "@azure/keyvault-secrets";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultSans, ensureTlsMaterial } from "../src/server/tls.js";
import { startLocalVault } from "../src/testing/index.js";
import { median } from "./median.js";

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const SEEDED = Number(process.env.SEEDED ?? 100);
const credential = { getToken: async () => ({ token: "bench", expiresOnTimestamp: Date.now() + 3_600_000 }) };
const tlsDir = mkdtempSync(join(tmpdir(), "orbitra-bench-tls-"));
const tls = await ensureTlsMaterial(tlsDir, defaultSans(["default.localhost"]));

async function bareStartAndGet(): Promise<number> {
  const started = performance.now();
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    if (!req.headers.authorization) {
      res.writeHead(401, { "www-authenticate": 'Bearer authorization="https://login.microsoftonline.com/t", resource="https://vault.azure.net"', "content-type": "application/json" });
      res.end('{"error":{"code":"Unauthorized","message":"no token"}}');
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ value: "v", id: `https://127.0.0.1/secrets/a/${"0".repeat(32)}`, attributes: { enabled: true, created: 1, updated: 1, recoveryLevel: "Recoverable+Purgeable" } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new SecretClient(url, credential, { tlsOptions: { ca: tls.ca }, disableChallengeResourceVerification: true });
  await client.getSecret("a");
  const ms = performance.now() - started;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return ms;
}

async function kitStartAndGet(): Promise<number> {
  const started = performance.now();
  const vault = await startLocalVault({ seed: { secrets: { a: "v" } } });
  await new SecretClient(vault.url, vault.credential, vault.clientOptions).getSecret("a");
  const ms = performance.now() - started;
  await vault.close();
  return ms;
}

async function kitReset(): Promise<number> {
  const vault = await startLocalVault();
  const secrets = Object.fromEntries(Array.from({ length: SEEDED }, (_, i) => [`s${i}`, `v${i}`]));
  vault.seed({ secrets });
  const client = vault.secretsClient();
  for (let i = 0; i < 10; i++) await client.deleteSecret(`s${i}`); // deleted ones too
  const started = performance.now();
  vault.reset();
  const ms = performance.now() - started;
  await vault.close();
  return ms;
}

// Warm-up: module loading and the SDK's first-use costs land on no side.
await bareStartAndGet();
await kitStartAndGet();
const bare: number[] = [];
const start: number[] = [];
const reset: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  bare.push(await bareStartAndGet());
  start.push(await kitStartAndGet());
  reset.push(await kitReset());
}
rmSync(tlsDir, { recursive: true, force: true });
const b = median(bare);
console.log(`node ${process.version}, ${ROUNDS} rounds, medians`);
console.log(`bare https.createServer start + first SDK get: ${b.toFixed(1)} ms (baseline 1.00)`);
console.log(`startLocalVault() + first SDK get:            ${median(start).toFixed(1)} ms (ratio ${(median(start) / b).toFixed(2)})`);
console.log(`reset() of ${SEEDED} secrets (10 deleted):           ${median(reset).toFixed(2)} ms (ratio ${(median(reset) / b).toFixed(3)}; ${(median(start) / median(reset)).toFixed(0)}x cheaper than a new vault)`);
