import { createECDH, createPrivateKey, createPublicKey, createSecretKey } from "node:crypto";
import { decodeBase64Url } from "./base64url.js";
import { badParameter } from "./errors.js";
import { CURVE_INFO, familyOf, keyTypeFor, type KeyMaterial } from "./key-material.js";
import { CURVES, KEY_OPERATIONS, KEY_TYPES, type CurveName, type KeyOperation, type KeyType } from "./types.js";

/**
 * An incoming JWK to node:crypto `KeyObject`s, checked the way Key Vault checks an import: known
 * `kty` and `crv`, strict base64url, member sizes that fit the key, a point on its curve, and
 * private members that belong to the public ones. Every refusal is a 400 `BadParameter` (Key
 * Vault's texts for these are not published, UNCONFIRMED); no message repeats a member's value.
 */

/** Longer than any member of a 4096-bit RSA key (683 characters): anything above is refused unread. */
const MAX_MEMBER_CHARS = 1024;
export const RSA_KEY_SIZES: readonly number[] = [2048, 3072, 4096];
const RSA_PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi"] as const;

type Members = Record<string, unknown>;

export interface JwkImportOptions {
  /** Key Vault's `Hsm` flag on import: the key becomes `RSA-HSM` / `EC-HSM` / `oct-HSM`. */
  hsm?: boolean;
}

/** A JWK with its private members, as `importKey` receives it. */
export function importPrivateJwk(jwk: unknown, options: JwkImportOptions = {}): KeyMaterial {
  return fromJwk(jwk, options, true, true);
}

/**
 * A private JWK that this code wrote itself (the store's unsealed form): the same checks but the
 * RSA pair check, big-number arithmetic that need not run on every load.
 */
export function restorePrivateJwk(jwk: unknown): KeyMaterial {
  return fromJwk(jwk, {}, true, false);
}

/** A public JWK (private members ignored), for local encrypt / verify with a key's public half. */
export function importPublicJwk(jwk: unknown): KeyMaterial {
  return fromJwk(jwk, {}, false, false);
}

/** `key_ops` of a request or a JWK: absent, or an array of Key Vault's operation names. */
export function parseKeyOps(value: unknown): KeyOperation[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length > KEY_OPERATIONS.length * 2) {
    throw badParameter(`'key_ops' must be an array of ${KEY_OPERATIONS.join(", ")}.`);
  }
  for (const op of value) {
    if (typeof op !== "string" || !(KEY_OPERATIONS as readonly string[]).includes(op)) {
      throw badParameter(`'key_ops' holds an unknown operation '${String(op).slice(0, 20)}'; use ${KEY_OPERATIONS.join(", ")}.`);
    }
  }
  return [...new Set(value as KeyOperation[])];
}

function fromJwk(jwk: unknown, options: JwkImportOptions, wantPrivate: boolean, checkPair: boolean): KeyMaterial {
  if (typeof jwk !== "object" || jwk === null || Array.isArray(jwk)) throw badParameter("The key must be a JSON Web Key object.");
  const m = jwk as Members;
  if (typeof m.kty !== "string" || !(KEY_TYPES as readonly string[]).includes(m.kty)) {
    throw badParameter(`The key's 'kty' must be one of ${KEY_TYPES.join(", ")}.`);
  }
  if (m.key_hsm !== undefined) throw badParameter("HSM-protected key transfer ('key_hsm', BYOK) is not supported by this vault.");
  const kty = m.kty as KeyType;
  const family = familyOf(kty);
  const hsm = kty.endsWith("-HSM") || options.hsm === true;
  const type = keyTypeFor(family, hsm);
  if (family === "RSA") return rsaFromJwk(m, type, hsm, wantPrivate, checkPair);
  if (family === "EC") return ecFromJwk(m, type, hsm, wantPrivate);
  const k = member(m, "k");
  if (![16, 24, 32].includes(k.byteLength)) throw badParameter(`An oct key is 128, 192 or 256 bits; 'k' holds ${k.byteLength * 8}.`);
  return { family: "oct", kty: type, hsm, secretKey: createSecretKey(k), bits: k.byteLength * 8 };
}

function rsaFromJwk(m: Members, kty: KeyType, hsm: boolean, wantPrivate: boolean, checkPair: boolean): KeyMaterial {
  const n = stripLeadingZeros(member(m, "n"));
  const e = stripLeadingZeros(member(m, "e"));
  const bits = bitLength(n);
  if (!RSA_KEY_SIZES.includes(bits)) throw badParameter(`An RSA key is 2048, 3072 or 4096 bits; 'n' holds ${bits}.`);
  if (e.byteLength === 0 || e.byteLength > 4 || (e[e.byteLength - 1]! & 1) === 0) {
    throw badParameter("The RSA public exponent 'e' must be an odd number of at most 32 bits.");
  }
  const pub = { kty: "RSA", n: b64(n), e: b64(e) };
  const publicKey = tryKey(() => createPublicKey({ key: pub, format: "jwk" }), "RSA public key");
  if (!wantPrivate) return { family: "RSA", kty, hsm, publicKey, bits };
  const priv: Record<string, string> = { ...pub };
  for (const name of RSA_PRIVATE_MEMBERS) {
    const bytes = member(m, name);
    if (bytes.byteLength > n.byteLength) throw badParameter(`The RSA member '${name}' is longer than the modulus.`);
    priv[name] = b64(bytes);
  }
  if (checkPair) assertRsaPair(priv);
  const privateKey = tryKey(() => createPrivateKey({ key: priv, format: "jwk" }), "RSA private key");
  return { family: "RSA", kty, hsm, publicKey, privateKey, bits };
}

function ecFromJwk(m: Members, kty: KeyType, hsm: boolean, wantPrivate: boolean): KeyMaterial {
  if (typeof m.crv !== "string" || !(CURVES as readonly string[]).includes(m.crv)) {
    throw badParameter(`An EC key's 'crv' must be one of ${CURVES.join(", ")}.`);
  }
  const crv = m.crv as CurveName;
  const info = CURVE_INFO[crv];
  const coordinate = (name: string): Buffer => {
    const bytes = member(m, name);
    if (bytes.byteLength !== info.bytes) throw badParameter(`On ${crv}, '${name}' is ${info.bytes} bytes; this one is ${bytes.byteLength}.`);
    return bytes;
  };
  const pub = { kty: "EC", crv: info.jwkName, x: b64(coordinate("x")), y: b64(coordinate("y")) };
  // OpenSSL refuses a point that is not on the named curve here.
  const publicKey = tryKey(() => createPublicKey({ key: pub, format: "jwk" }), `point on ${crv}`);
  if (!wantPrivate) return { family: "EC", kty, hsm, crv, publicKey };
  const dBytes = coordinate("d");
  // The private scalar must give the public point the JWK states; OpenSSL keeps the stated point
  // as it is, so the point is computed anew from d.
  const point = tryKey(() => {
    const ecdh = createECDH(info.nodeName);
    ecdh.setPrivateKey(dBytes);
    return ecdh.getPublicKey();
  }, `${crv} private key`);
  if (!point.equals(Buffer.concat([Buffer.of(4), Buffer.from(pub.x, "base64url"), Buffer.from(pub.y, "base64url")]))) {
    throw badParameter(`The EC private key 'd' does not belong to the public point (x, y) on ${crv}.`);
  }
  const privateKey = tryKey(() => createPrivateKey({ key: { ...pub, d: b64(dBytes) }, format: "jwk" }), `${crv} private key`);
  return { family: "EC", kty, hsm, crv, publicKey, privateKey };
}

function member(m: Members, name: string): Buffer {
  const value = m[name];
  if (value === undefined || value === null || value === "") throw badParameter(`The key lacks its '${name}' member.`);
  if (typeof value === "string" && value.length > MAX_MEMBER_CHARS) throw badParameter(`The key's '${name}' member is too large.`);
  return decodeBase64Url(value, name);
}

function tryKey<T>(make: () => T, what: string): T {
  try {
    return make();
  } catch {
    throw badParameter(`The key is not a valid ${what}.`);
  }
}

/**
 * The RSA private members must be one key with n and e: n = p*q, d inverts e modulo p-1 and q-1,
 * and the CRT members follow from them. OpenSSL signs with p, q, dp, dq, qi alone, so a wrong `d`
 * would otherwise go unnoticed until another implementation used it.
 */
function assertRsaPair(members: Record<string, string>): void {
  const int = (name: string): bigint => BigInt(`0x${Buffer.from(members[name]!, "base64url").toString("hex") || "0"}`);
  const [n, e, d, p, q, dp, dq, qi] = ["n", "e", "d", "p", "q", "dp", "dq", "qi"].map(int) as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
  const ok =
    p > 1n &&
    q > 1n &&
    p * q === n &&
    (e * d) % (p - 1n) === 1n &&
    (e * d) % (q - 1n) === 1n &&
    d % (p - 1n) === dp &&
    d % (q - 1n) === dq &&
    (qi * q) % p === 1n;
  if (!ok) throw badParameter("The RSA private members (d, p, q, dp, dq, qi) do not belong to its public members (n, e).");
}

function stripLeadingZeros(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.byteLength - 1 && bytes[i] === 0) i += 1;
  return bytes.subarray(i);
}

function bitLength(bytes: Buffer): number {
  if (bytes.byteLength === 0) return 0;
  return (bytes.byteLength - 1) * 8 + (32 - Math.clz32(bytes[0]!));
}

const b64 = (bytes: Buffer): string => bytes.toString("base64url");
