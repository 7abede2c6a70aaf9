import { createHash, sign, webcrypto, type KeyObject } from "node:crypto";
import { badParameter } from "./errors.js";
import { curveOf, spkiOf, type KeyPair } from "./keys.js";

/**
 * @peculiar/x509 builds the ASN.1 and asks a WebCrypto-shaped provider for three things: a key's
 * SPKI, a signature, a digest. This provider answers them with node:crypto over `KeyObject`s, so
 * keys need no WebCrypto import and every curve Key Vault has signs, P-256K (secp256k1, which
 * WebCrypto lacks) included. Its keys are plain objects that carry their `KeyObject`.
 */

/** What @peculiar/x509 takes as `signingAlgorithm`; `namedCurve` uses its names (`K-256` for P-256K). */
export interface SigningAlgorithm {
  name: string;
  hash: string;
  namedCurve?: string;
}

const KEY = Symbol("orbitra.keyObject");

interface NodeBackedKey {
  algorithm: SigningAlgorithm;
  type: "private" | "public";
  extractable: boolean;
  usages: string[];
  [KEY]: KeyObject;
}

/** Key Vault's pairing of curve and hash (ES256 / ES384 / ES512 / ES256K); RSA signs with SHA-256. */
const HASH_OF_CURVE: Record<string, string> = { "P-256": "SHA-256", "P-384": "SHA-384", "P-521": "SHA-512", "P-256K": "SHA-256" };

type Provider = Parameters<typeof import("@peculiar/x509").X509CertificateGenerator.create>[1];

export interface NodeSigning {
  keys: { privateKey: NodeBackedKey; publicKey: NodeBackedKey };
  algorithm: SigningAlgorithm;
  provider: NonNullable<Provider>;
}

export function nodeSigning(pair: KeyPair): NodeSigning {
  const curve = curveOf(pair.privateKey);
  const algorithm: SigningAlgorithm =
    curve === undefined
      ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }
      : { name: "ECDSA", hash: HASH_OF_CURVE[curve]!, namedCurve: curve === "P-256K" ? "K-256" : curve };
  const key = (type: "private" | "public", keyObject: KeyObject): NodeBackedKey => ({
    algorithm,
    type,
    extractable: type === "public",
    usages: [type === "private" ? "sign" : "verify"],
    [KEY]: keyObject,
  });
  return { keys: { privateKey: key("private", pair.privateKey), publicKey: key("public", pair.publicKey) }, algorithm, provider: PROVIDER };
}

const nodeHash = (name: string) => name.replace("SHA-", "sha");
const hashName = (algorithm: string | { name?: string; hash?: unknown }): string =>
  typeof algorithm === "string" ? algorithm : typeof algorithm.hash === "string" ? algorithm.hash : (algorithm.hash as { name: string } | undefined)?.name ?? algorithm.name ?? "";

const toArrayBuffer = (bytes: Buffer): ArrayBuffer => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
const bytesOf = (data: ArrayBuffer | ArrayBufferView): Buffer =>
  ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

const PROVIDER = {
  getRandomValues: <T extends ArrayBufferView | null>(array: T): T => webcrypto.getRandomValues(array as never) as T,
  subtle: {
    async exportKey(format: string, key: NodeBackedKey): Promise<ArrayBuffer> {
      if (format !== "spki" || !(KEY in key)) throw badParameter(`Cannot export a ${format} key for the certificate.`);
      return toArrayBuffer(spkiOf(key[KEY]));
    },
    async sign(algorithm: { name: string; hash?: unknown }, key: NodeBackedKey, data: ArrayBuffer | ArrayBufferView): Promise<ArrayBuffer> {
      const hash = nodeHash(hashName(algorithm));
      // WebCrypto's ECDSA signature is r||s (IEEE P1363): what @peculiar/x509 converts to DER.
      const signature = algorithm.name === "ECDSA" ? sign(hash, bytesOf(data), { key: key[KEY], dsaEncoding: "ieee-p1363" }) : sign(hash, bytesOf(data), key[KEY]);
      return toArrayBuffer(signature);
    },
    async digest(algorithm: string | { name: string }, data: ArrayBuffer | ArrayBufferView): Promise<ArrayBuffer> {
      return toArrayBuffer(createHash(nodeHash(hashName(algorithm))).update(bytesOf(data)).digest());
    },
  },
} as unknown as NonNullable<Provider>;
