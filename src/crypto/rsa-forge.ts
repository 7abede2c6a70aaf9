import { Buffer } from "node:buffer";
import { randomBytes, type KeyObject } from "node:crypto";
import type Forge from "node-forge";
import { forge } from "./forge.js";
import type { HashName } from "./algorithms.js";

/**
 * The two RSA pieces node:crypto lacks, from node-forge (a maintained library, not our own
 * padding code): EMSA-PSS encoding of a digest the caller made (RFC 8017 §9.1), and PKCS#1 v1.5
 * decryption where Node refuses it. forge speaks "binary strings", hence the conversions. It loads
 * on first use only: it is large, and most commands never sign with PSS.
 */

const mdFor = (hash: HashName) =>
  hash === "sha256" ? forge.md.sha256.create() : hash === "sha384" ? forge.md.sha384.create() : forge.md.sha512.create();

const HASH_BYTES: Readonly<Record<HashName, number>> = { sha256: 32, sha384: 48, sha512: 64 };

// JWA PS256/384/512 use a salt as long as the hash (RFC 7518 §3.5).
function pss(hash: HashName) {
  return forge.pss.create({
    md: mdFor(hash),
    mgf: forge.mgf.mgf1.create(mdFor(hash)),
    saltLength: HASH_BYTES[hash],
    prng: { getBytesSync: (n: number) => randomBytes(n).toString("binary") },
  }) as {
    encode(md: { digest(): { getBytes(): string } }, modBits: number): string;
    verify(mHash: string, em: string, modBits: number): boolean;
  };
}

/** EM for RSASSA-PSS over `digest`; forge's encoder reads the message hash from `md.digest()`. */
export async function pssEncode(hash: HashName, digest: Uint8Array, modBits: number): Promise<Uint8Array> {
  const mHash = Buffer.from(digest).toString("binary");
  const em = pss(hash).encode({ digest: () => forge.util.createBuffer(mHash) }, modBits);
  return Buffer.from(em, "binary");
}

export async function pssVerify(hash: HashName, digest: Uint8Array, em: Uint8Array, modBits: number): Promise<boolean> {
  try {
    return pss(hash).verify(Buffer.from(digest).toString("binary"), Buffer.from(em).toString("binary"), modBits);
  } catch {
    return false;
  }
}

const forgeKeys = new WeakMap<KeyObject, Forge.pki.rsa.PrivateKey>();

/**
 * RSA1_5 decryption in forge, for a Node that refuses it. forge's RSA is plain JavaScript, so it is
 * slower and not constant-time: fine for an emulator and for local tests, and why Node 24 (with
 * OpenSSL's implicit rejection) uses node:crypto instead.
 */
export async function rsa15DecryptFallback(privateKey: KeyObject, ciphertext: Uint8Array, onFailure: () => Error): Promise<Uint8Array> {
  let key = forgeKeys.get(privateKey);
  if (key === undefined) {
    key = forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs1", format: "pem" }) as string) as Forge.pki.rsa.PrivateKey;
    forgeKeys.set(privateKey, key);
  }
  try {
    return Buffer.from(key.decrypt(Buffer.from(ciphertext).toString("binary"), "RSAES-PKCS1-V1_5"), "binary");
  } catch {
    throw onFailure();
  }
}
