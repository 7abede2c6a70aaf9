import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";

/**
 * ES256 JSON Web Tokens with node:crypto alone: one algorithm, one key, so a JOSE library would
 * add a dependency (and its ESM/CJS questions in the bundled CLI) for forty lines of code. The
 * signature is the raw r||s form JWS requires (`ieee-p1363`), not DER.
 */
export interface JwtClaims {
  iss: string;
  aud: string;
  sub: string;
  iat: number;
  nbf: number;
  exp: number;
  [claim: string]: unknown;
}

const HEADER_ALG = "ES256";

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

export function signJwt(claims: JwtClaims, privateKey: KeyObject, keyId: string): string {
  const header = b64url(JSON.stringify({ alg: HEADER_ALG, typ: "JWT", kid: keyId }));
  const payload = b64url(JSON.stringify(claims));
  const signature = sign("sha256", Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: "ieee-p1363" });
  return `${header}.${payload}.${b64url(signature)}`;
}

export type JwtCheck =
  | { ok: true; claims: JwtClaims }
  | { ok: false; reason: string };

export interface VerifyOptions {
  publicKey: KeyObject;
  /** Seconds since the epoch. */
  now: number;
  /** Seconds of tolerance on exp and nbf, for clocks that disagree a little. */
  skewSeconds: number;
  audiences: (aud: string) => boolean;
  issuer: (iss: string) => boolean;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * Checks a token's form, signature, issuer, audience and lifetime, in that order: nothing in an
 * unsigned payload is believed. The reason is for the 401 message and names no claim value.
 */
export function verifyJwt(token: string, options: VerifyOptions): JwtCheck {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) return { ok: false, reason: "The token is not a JWT." };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  let header: { alg?: unknown };
  let claims: Partial<JwtClaims>;
  try {
    header = JSON.parse(Buffer.from(headerPart, "base64url").toString("utf8")) as { alg?: unknown };
    claims = JSON.parse(Buffer.from(payloadPart, "base64url").toString("utf8")) as Partial<JwtClaims>;
  } catch {
    return { ok: false, reason: "The token is not a JWT." };
  }
  // The algorithm is fixed here, never taken from the header: that closes alg=none and key confusion.
  if (header.alg !== HEADER_ALG) return { ok: false, reason: "The token's signing algorithm is not accepted." };
  const signature = Buffer.from(signaturePart, "base64url");
  const signed = verify("sha256", Buffer.from(`${headerPart}.${payloadPart}`), { key: options.publicKey, dsaEncoding: "ieee-p1363" }, signature);
  if (!signed) return { ok: false, reason: "The token's signature is invalid." };
  if (typeof claims !== "object" || claims === null) return { ok: false, reason: "The token has no claims." };
  if (typeof claims.iss !== "string" || !options.issuer(claims.iss)) return { ok: false, reason: "The token's issuer is not accepted." };
  if (typeof claims.aud !== "string" || !options.audiences(claims.aud)) return { ok: false, reason: "The token's audience is not this vault." };
  if (typeof claims.sub !== "string" || claims.sub === "") return { ok: false, reason: "The token has no subject." };
  if (typeof claims.exp !== "number" || typeof claims.nbf !== "number") return { ok: false, reason: "The token has no lifetime." };
  if (options.now > claims.exp + options.skewSeconds) return { ok: false, reason: "The token is expired." };
  if (options.now < claims.nbf - options.skewSeconds) return { ok: false, reason: "The token is not yet valid." };
  return { ok: true, claims: claims as JwtClaims };
}

export function privateKeyFromPem(pem: string): KeyObject {
  return createPrivateKey(pem);
}

export function publicKeyOf(privateKey: KeyObject): KeyObject {
  return createPublicKey(privateKey);
}
