// Envelope encryption throughput: encryptEnvelope / decryptEnvelope (chunked AES-256-GCM, a fresh
// data key wrapped with RSA-OAEP-256 by a real RSA-2048 key) over a 100 MB buffer, against a
// baseline in the same run: one plain node:crypto AES-256-GCM pass over the same buffer in process
// (what `openssl enc -aes-256-gcm` does, with the same OpenSSL). Rounds alternate between the two
// sides so machine noise falls on both alike; the medians are compared.
//
//   node --import tsx bench/envelope.ts        (MB=100 ROUNDS=5 CHUNK=65536)
import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from "node:crypto";
import { decryptEnvelope, encryptEnvelope, type WrappedDataKey } from "../src/crypto/envelope.js";
import { generateKey } from "../src/crypto/key-generate.js";
import { unwrapKey, wrapKey } from "../src/crypto/operations.js";
import { median } from "./median.js";

const MB = Number(process.env.MB ?? 100);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const CHUNK = Number(process.env.CHUNK ?? 64 * 1024);

const data = randomBytes(MB * 1024 * 1024);
const vaultKey = await generateKey({ kty: "RSA" });
const wrap = async (dek: Uint8Array): Promise<WrappedDataKey> => ({ kid: "bench", alg: "RSA-OAEP-256", wrapped: await wrapKey(vaultKey, "RSA-OAEP-256", dek) });
const unwrap = async (w: WrappedDataKey) => unwrapKey(vaultKey, "RSA-OAEP-256", w.wrapped);

function plainEncrypt(): { iv: Buffer; body: Buffer; tag: Buffer; key: ReturnType<typeof createSecretKey> } {
  const key = createSecretKey(randomBytes(32));
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(data), cipher.final()]);
  return { iv, body, tag: cipher.getAuthTag(), key };
}

function plainDecrypt(sealed: ReturnType<typeof plainEncrypt>): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", sealed.key, sealed.iv);
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.body), decipher.final()]);
}

async function time<T>(fn: () => T | Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const out = await fn();
  return [Number(process.hrtime.bigint() - start) / 1e6, out];
}

const rows = { envEnc: [] as number[], envDec: [] as number[], plainEnc: [] as number[], plainDec: [] as number[] };

for (let round = 0; round < ROUNDS; round += 1) {
  const [pe, sealed] = await time(plainEncrypt);
  const [pd, opened] = await time(() => plainDecrypt(sealed));
  const [ee, envelope] = await time(() => encryptEnvelope(data, { wrapKey: wrap, chunkSize: CHUNK }));
  const [ed, back] = await time(() => decryptEnvelope(envelope, { unwrapKey: unwrap }));
  if (!opened.equals(data) || !Buffer.from(back).equals(data)) throw new Error("round trip failed");
  rows.plainEnc.push(pe);
  rows.plainDec.push(pd);
  rows.envEnc.push(ee);
  rows.envDec.push(ed);
}

const mbps = (ms: number): string => ((MB / ms) * 1000).toFixed(0);
console.log(`Node ${process.version}, ${MB} MB, chunk ${CHUNK} B, ${ROUNDS} rounds (medians)`);
console.log("| direction | envelope MB/s | plain AES-256-GCM MB/s | ratio |");
console.log("| --- | ---: | ---: | ---: |");
for (const [name, env, plain] of [["encrypt", rows.envEnc, rows.plainEnc], ["decrypt", rows.envDec, rows.plainDec]] as const) {
  console.log(`| ${name} | ${mbps(median(env))} | ${mbps(median(plain))} | ${(median(plain) / median(env)).toFixed(2)} |`);
}
