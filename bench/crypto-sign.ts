// Signing a digest with src/crypto against node:crypto signing the message in process, same run
// (a ratio). For RSA both end in OpenSSL (ours adds DigestInfo + privateEncrypt; PS* adds
// node-forge's PSS encoding); for ECDSA ours is @noble/curves, because node:crypto cannot sign a
// given digest. Rounds alternate between the two sides; the medians are compared.
//
//   node --import tsx bench/crypto-sign.ts        (OPS=300 ROUNDS=5)
import { constants, createHash, sign as nodeSign } from "node:crypto";
import { generateKey } from "../src/crypto/key-generate.js";
import type { KeyMaterial } from "../src/crypto/key-material.js";
import { sign } from "../src/crypto/operations.js";
import type { SignatureAlgorithm } from "../src/crypto/types.js";
import { median } from "./median.js";

const OPS = Number(process.env.OPS ?? 300);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const message = Buffer.from("a message of a typical token's size ".repeat(8));

const cases: [SignatureAlgorithm, KeyMaterial][] = [
  ["RS256", await generateKey({ kty: "RSA" })],
  ["PS256", await generateKey({ kty: "RSA" })],
  ["ES256", await generateKey({ kty: "EC", crv: "P-256" })],
  ["ES256K", await generateKey({ kty: "EC", crv: "P-256K" })],
];


console.log(`Node ${process.version}, ${OPS} signatures x ${ROUNDS} rounds (medians)`);
console.log("| alg | src/crypto sign(digest) ops/s | node:crypto sign(message) ops/s | ratio |");
console.log("| --- | ---: | ---: | ---: |");
for (const [alg, key] of cases) {
  if (key.family === "oct" || key.privateKey === undefined) continue;
  const privateKey = key.privateKey;
  const options =
    alg === "PS256" ? { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : alg.startsWith("ES") ? { key: privateKey, dsaEncoding: "ieee-p1363" as const } : privateKey;
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    let start = performance.now();
    for (let i = 0; i < OPS; i += 1) await sign(key, alg, createHash("sha256").update(message).digest());
    ours.push(OPS / ((performance.now() - start) / 1000));
    start = performance.now();
    for (let i = 0; i < OPS; i += 1) nodeSign("sha256", message, options);
    theirs.push(OPS / ((performance.now() - start) / 1000));
  }
  console.log(`| ${alg} | ${median(ours).toFixed(0)} | ${median(theirs).toFixed(0)} | ${(median(ours) / median(theirs)).toFixed(2)} |`);
}
