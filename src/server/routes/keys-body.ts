import type { KeyRotationLifetimeAction, KeyRotationPolicy } from "../../core/key-types.js";
import { parseKeyOps } from "../../crypto/jwk-import.js";
import {
  CURVES,
  ENCRYPTION_ALGORITHMS,
  KEY_TYPES,
  SIGNATURE_ALGORITHMS,
  type CurveName,
  type EncryptionAlgorithm,
  type KeyType,
  type SignatureAlgorithm,
} from "../../crypto/types.js";
import type { CryptoRequest, StoredKeyAttributes, StoredKeyCreate, StoredKeyUpdate } from "../../store/keys/types.js";
import { parseAttributes, parseTags } from "../body.js";
import { badParameter, shorten } from "../errors.js";

/**
 * The request bodies of the keys API (docs/keyvault-wire.md §9), checked for shape and type only:
 * sizes, curves against types, algorithms against keys and durations are the store's and the
 * crypto floor's rules, so the library meets the same ones. Times become Unix seconds here, as the
 * store keeps them.
 */

type Json = Record<string, unknown>;

const seconds = (d: Date | undefined): number | undefined => (d === undefined ? undefined : Math.floor(d.getTime() / 1000));

function oneOf<T extends string>(value: unknown, allowed: readonly T[], member: string): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw badParameter(`Property '${member}' must be one of ${allowed.join(", ")}, not '${shorten(String(value), 40)}'.`);
  }
  return value as T;
}

function wholeNumber(value: unknown, member: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) throw badParameter(`Property '${member}' must be a positive whole number.`);
  return value;
}

/** `attributes` (with a key's `exportable`) and `tags`, as the store takes them. */
function keyAttributes(body: Json): StoredKeyAttributes {
  const parsed = parseAttributes(body.attributes);
  const out: StoredKeyAttributes = {};
  if (parsed.enabled !== undefined) out.enabled = parsed.enabled;
  const nbf = seconds(parsed.notBefore);
  const exp = seconds(parsed.expiresOn);
  if (nbf !== undefined) out.notBefore = nbf;
  if (exp !== undefined) out.expiresOn = exp;
  const exportable = (body.attributes as Json | null | undefined)?.exportable;
  if (exportable !== undefined && exportable !== null) {
    if (typeof exportable !== "boolean") throw badParameter("Property 'attributes.exportable' must be a boolean.");
    out.exportable = exportable;
  }
  const tags = parseTags(body.tags);
  if (tags) out.tags = tags;
  return out;
}

/** POST /keys/{n}/create: `{"kty", "key_size"?, "public_exponent"?, "crv"?, "key_ops"?, "attributes"?, "tags"?}`. */
export function parseCreateKey(body: Json): StoredKeyCreate {
  const spec: StoredKeyCreate = { ...keyAttributes(body), kty: oneOf<KeyType>(body.kty, KEY_TYPES, "kty") };
  const keySize = wholeNumber(body.key_size, "key_size");
  const publicExponent = wholeNumber(body.public_exponent, "public_exponent");
  if (keySize !== undefined) spec.keySize = keySize;
  if (publicExponent !== undefined) spec.publicExponent = publicExponent;
  if (body.crv !== undefined && body.crv !== null) spec.crv = oneOf<CurveName>(body.crv, CURVES, "crv");
  const keyOps = parseKeyOps(body.key_ops);
  if (keyOps) spec.keyOps = keyOps;
  return spec;
}

/** PUT /keys/{n}: `{"key": JWK with private members, "Hsm"?, "attributes"?, "tags"?}`. The JWK itself is the store's to judge. */
export function parseImportKey(body: Json): { jwk: Json; attributes: StoredKeyAttributes & { hsm?: boolean } } {
  if (body.key === null || typeof body.key !== "object" || Array.isArray(body.key)) throw badParameter("Property 'key' must be a JSON Web Key object.");
  const attributes: StoredKeyAttributes & { hsm?: boolean } = keyAttributes(body);
  // Key Vault's spelling is a capital H; nothing else names the flag.
  if (body.Hsm !== undefined && body.Hsm !== null) {
    if (typeof body.Hsm !== "boolean") throw badParameter("Property 'Hsm' must be a boolean.");
    attributes.hsm = body.Hsm;
  }
  return { jwk: body.key as Json, attributes };
}

/** PATCH /keys/{n}[/{v}]: `{"key_ops"?, "attributes"?, "tags"?}`; `exportable` cannot change and is ignored. */
export function parseKeyUpdate(body: Json): StoredKeyUpdate {
  const { exportable: _exportable, ...update } = keyAttributes(body);
  const keyOps = parseKeyOps(body.key_ops);
  return keyOps ? { ...update, keyOps } : update;
}

/**
 * Binary members are base64url; the SDK sends them unpadded, but padding is tolerated. Anything
 * outside the alphabet is refused rather than skipped, as Buffer.from would.
 */
function bytes(body: Json, member: string, required: true): Uint8Array;
function bytes(body: Json, member: string, required: false): Uint8Array | undefined;
function bytes(body: Json, member: string, required: boolean): Uint8Array | undefined {
  const value = body[member];
  if (value === undefined || value === null) {
    if (required) throw badParameter(`Property '${member}' is required (base64url).`);
    return undefined;
  }
  const text = typeof value === "string" ? value.replace(/={1,2}$/, "") : undefined;
  if (text === undefined || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
    throw badParameter(`Property '${member}' must be base64url (A-Z, a-z, 0-9, '-', '_').`);
  }
  return Buffer.from(text, "base64url");
}

/** encrypt / decrypt / wrapkey / unwrapkey: `{"alg", "value", "iv"?, "aad"?, "tag"?}`. */
export function parseCryptoRequest(body: Json): CryptoRequest {
  const request: CryptoRequest = { alg: oneOf<EncryptionAlgorithm>(body.alg, ENCRYPTION_ALGORITHMS, "alg"), value: bytes(body, "value", true) };
  const iv = bytes(body, "iv", false);
  const aad = bytes(body, "aad", false);
  const tag = bytes(body, "tag", false);
  if (iv) request.iv = iv;
  if (aad) request.aad = aad;
  if (tag) request.tag = tag;
  return request;
}

/** sign: `{"alg", "value": digest}`. */
export function parseSignRequest(body: Json): { alg: SignatureAlgorithm; digest: Uint8Array } {
  return { alg: oneOf<SignatureAlgorithm>(body.alg, SIGNATURE_ALGORITHMS, "alg"), digest: bytes(body, "value", true) };
}

/** verify: `{"alg", "digest", "value": signature}`. */
export function parseVerifyRequest(body: Json): { alg: SignatureAlgorithm; digest: Uint8Array; signature: Uint8Array } {
  return { alg: oneOf<SignatureAlgorithm>(body.alg, SIGNATURE_ALGORITHMS, "alg"), digest: bytes(body, "digest", true), signature: bytes(body, "value", true) };
}

function duration(value: unknown, member: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  // Which durations are allowed (at least 28 days, say) is the store's rule; here only the type.
  if (typeof value !== "string" || value.length > 64) throw badParameter(`Property '${member}' must be an ISO-8601 duration such as P90D.`);
  return value;
}

const ACTIONS: Record<string, KeyRotationLifetimeAction["action"]> = { rotate: "Rotate", notify: "Notify" };

function lifetimeAction(value: unknown, i: number): KeyRotationLifetimeAction {
  const where = `lifetimeActions[${i}]`;
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw badParameter(`Property '${where}' must be an object.`);
  const { trigger, action } = value as Json;
  if (trigger === null || typeof trigger !== "object" || action === null || typeof action !== "object") {
    throw badParameter(`Property '${where}' needs a 'trigger' and an 'action' object.`);
  }
  // The SDK reads the type case-insensitively; it is written back in Key Vault's casing.
  const typeName = (action as Json).type;
  const type = typeof typeName === "string" ? ACTIONS[typeName.toLowerCase()] : undefined;
  if (!type) throw badParameter(`Property '${where}.action.type' must be Rotate or Notify.`);
  const out: KeyRotationLifetimeAction = { action: type };
  const afterCreate = duration((trigger as Json).timeAfterCreate, `${where}.trigger.timeAfterCreate`);
  const beforeExpiry = duration((trigger as Json).timeBeforeExpiry, `${where}.trigger.timeBeforeExpiry`);
  if ((afterCreate === undefined) === (beforeExpiry === undefined)) {
    throw badParameter(`Property '${where}.trigger' must have exactly one of timeAfterCreate and timeBeforeExpiry.`);
  }
  if (afterCreate !== undefined) out.timeAfterCreate = afterCreate;
  if (beforeExpiry !== undefined) out.timeBeforeExpiry = beforeExpiry;
  return out;
}

/** PUT /keys/{n}/rotationpolicy: `{"lifetimeActions"?: [...], "attributes"?: {"expiryTime"?}}`. */
export function parseRotationPolicy(body: Json): KeyRotationPolicy {
  const actions = body.lifetimeActions ?? [];
  if (!Array.isArray(actions) || actions.length > 10) throw badParameter("Property 'lifetimeActions' must be an array of at most 10 actions.");
  const policy: KeyRotationPolicy = { lifetimeActions: actions.map(lifetimeAction) };
  const attributes = body.attributes;
  if (attributes !== undefined && attributes !== null) {
    if (typeof attributes !== "object" || Array.isArray(attributes)) throw badParameter("Property 'attributes' must be an object.");
    const expiresIn = duration((attributes as Json).expiryTime, "attributes.expiryTime");
    if (expiresIn !== undefined) policy.expiresIn = expiresIn;
  }
  return policy;
}
