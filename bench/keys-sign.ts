// RSA-2048 (RS256) and ES256 signing through `orbitra vault serve` against node:crypto signing the
// same message in process, same run (ratios). Two server sides: the official CryptographyClient's
// remote sign (one request at a time, as an application awaits it), and raw keep-alive HTTPS with
// CONCURRENCY requests in flight (the server's throughput). The server runs in this process
// (startVaultServer, from source through tsx), so client and server share the CPU, as they do on
// a developer's machine. A third baseline, src/crypto's sign of the digest in process (what the
// store runs per request), tells the server's share of the cost from the cryptography floor's
// (ECDSA over a given digest is @noble/curves, as node:crypto cannot sign a digest). Rounds
// alternate between the sides; the medians are compared.
//
//   node --import tsx bench/keys-sign.ts        # OPS=300 ROUNDS=5 CONCURRENCY=8
import { createHash, createPrivateKey, generateKeyPairSync, sign as nodeSign, type KeyObject } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CryptographyClient } from "@azure/keyvault-keys";
import { importPrivateJwk } from "../src/crypto/jwk-import.js";
import type { KeyMaterial } from "../src/crypto/key-material.js";
import { sign as floorSign } from "../src/crypto/operations.js";
import { startVaultServer } from "../src/server/serve.js";
import { median } from "./median.js";

const OPS = Number(process.env.OPS ?? 300);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const message = Buffer.from("a message of a typical token's size ".repeat(8));
const digest = createHash("sha256").update(message).digest();

const dataDir = mkdtempSync(join(tmpdir(), "orbitra-bench-keys-"));
const server = await startVaultServer({ host: "127.0.0.1", port: 0, env: {}, dataDir });
const url = server.vaults[0]!.url;
const keys = server.store().keys;
const credential = { getToken: async () => ({ token: "bench", expiresOnTimestamp: Date.now() + 3_600_000 }) };
const clientOptions = { tlsOptions: { ca: server.ca }, disableChallengeResourceVerification: true };
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca: server.ca });

/** One raw sign request; resolves when the reply is read. */
function rawSign(path: string, body: string): Promise<void> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, method: "POST", path, agent, headers: { authorization: "Bearer bench", "content-type": "application/json" } },
      (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function timed(run: () => Promise<void> | void): Promise<number> {
  const start = performance.now();
  await run();
  return OPS / ((performance.now() - start) / 1000);
}


interface Case {
  alg: "RS256" | "ES256";
  name: string;
  /** node:crypto's sign options for the same key, imported from the same private JWK. */
  local: KeyObject | { key: KeyObject; dsaEncoding: "ieee-p1363" };
  material: KeyMaterial;
}

async function makeCase(alg: Case["alg"]): Promise<Case> {
  const name = `bench-${alg.toLowerCase()}`;
  const pair = alg === "RS256" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const jwk = pair.privateKey.export({ format: "jwk" });
  keys.importKey(name, jwk);
  const privateKey = createPrivateKey(pair.privateKey.export({ format: "pem", type: "pkcs8" }));
  return { alg, name, local: alg === "RS256" ? privateKey : { key: privateKey, dsaEncoding: "ieee-p1363" }, material: importPrivateJwk(jwk) };
}

try {
  const cases = [await makeCase("RS256"), await makeCase("ES256")];
  console.log(`Node ${process.version}, ${OPS} signatures x ${ROUNDS} rounds (medians), ${CONCURRENCY} in flight for raw HTTPS`);
  console.log("| alg | node:crypto sign(message) ops/s | src/crypto sign(digest) ops/s | ratio | CryptographyClient.sign ops/s | ratio | raw HTTPS ops/s | ratio |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const c of cases) {
    const client = new CryptographyClient(`${url}/keys/${c.name}`, credential, clientOptions);
    const path = `/keys/${c.name}//sign?api-version=7.5`;
    const body = JSON.stringify({ alg: c.alg, value: digest.toString("base64url") });
    // Warm-up: the client's key GET and challenge, TLS sessions, JIT.
    for (let i = 0; i < 20; i += 1) await client.sign(c.alg, digest);
    await Promise.all(Array.from({ length: CONCURRENCY }, () => rawSign(path, body)));
    const local: number[] = [];
    const floor: number[] = [];
    const sdk: number[] = [];
    const raw: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      local.push(await timed(() => {
        for (let i = 0; i < OPS; i += 1) nodeSign("sha256", message, c.local);
      }));
      floor.push(await timed(async () => {
        for (let i = 0; i < OPS; i += 1) await floorSign(c.material, c.alg, createHash("sha256").update(message).digest());
      }));
      sdk.push(await timed(async () => {
        for (let i = 0; i < OPS; i += 1) await client.sign(c.alg, createHash("sha256").update(message).digest());
      }));
      raw.push(await timed(async () => {
        let next = 0;
        const worker = async () => {
          while (next++ < OPS) await rawSign(path, body);
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      }));
    }
    const [l, f, s, r] = [median(local), median(floor), median(sdk), median(raw)];
    const ratio = (x: number) => (x / l).toFixed(3);
    console.log(`| ${c.alg} | ${l.toFixed(0)} | ${f.toFixed(0)} | ${ratio(f)} | ${s.toFixed(0)} | ${ratio(s)} | ${r.toFixed(0)} | ${ratio(r)} |`);
  }
} finally {
  agent.destroy();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
