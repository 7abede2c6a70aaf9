import type { SecretPropertiesUpdate, SetSecretOptions } from "../core/types.js";
import { badParameter, shorten, tooLarge } from "./errors.js";

type Json = Record<string, unknown>;

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** A request body as an adapter hands it over: its declared length, and a size-limited read. */
export interface BodySource {
  contentLength: string | undefined;
  /**
   * All of the body, or a rejection with {@link tooLarge} at the first byte past `limit` (chunked
   * bodies declare no length). Adapters stop reading there without tearing the connection down,
   * so the 413 still reaches the client.
   */
  read(limit: number): Promise<Uint8Array>;
}

/**
 * Reads a JSON object of at most `limit` bytes; the declared length is checked before any byte is
 * read. Parse errors get our own message: V8's would quote the body, and the body may hold a value.
 */
export async function readJsonBody(source: BodySource, limit: number): Promise<Json> {
  const declared = source.contentLength === undefined ? 0 : Number(source.contentLength);
  if (declared > limit) throw tooLarge(limit);
  const bytes = await source.read(limit);
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    // Decoding leniently would store U+FFFD in place of the bytes sent: a value other than the one written.
    throw badParameter("The request body is not valid UTF-8.");
  }
  if (text.trim() === "") throw badParameter("The request body is empty; a JSON object is required.");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badParameter("The request body is not valid JSON.");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw badParameter("The request body must be a JSON object.");
  }
  return parsed as Json;
}

/** PUT /secrets/{name}: `{"value", "contentType"?, "tags"?, "attributes"?: {"enabled"?, "nbf"?, "exp"?}}`. */
export function parseSetSecret(body: Json): { value: string; options: SetSecretOptions } {
  if (typeof body.value !== "string") throw badParameter("Property 'value' is required and must be a string.");
  // `"attributes":{}` (what the SDK always sends) parses to no options: the store's defaults.
  return { value: body.value, options: parseProperties(body) };
}

/** PATCH /secrets/{name}/{version}: `{"contentType"?, "tags"?, "attributes"?}`; a value is ignored, as it cannot change. */
export function parseUpdate(body: Json): SecretPropertiesUpdate {
  return parseProperties(body);
}

const BASE64ISH = /^[A-Za-z0-9_\-+/]+={0,2}$/;

/** POST /{secrets|keys}/restore: `{"value": base64url blob}`. Whether the blob is ours is the store's call. */
export function parseRestore(body: Json): Uint8Array {
  if (typeof body.value !== "string" || !BASE64ISH.test(body.value)) {
    throw badParameter("Property 'value' must be the base64url backup blob.");
  }
  return Buffer.from(body.value, "base64url");
}

function parseProperties(body: Json): SecretPropertiesUpdate {
  const out: SecretPropertiesUpdate = {};
  if (body.contentType !== undefined && body.contentType !== null) {
    if (typeof body.contentType !== "string") throw badParameter("Property 'contentType' must be a string.");
    out.contentType = body.contentType;
  }
  const tags = parseTags(body.tags);
  if (tags) out.tags = tags;
  return { ...out, ...parseAttributes(body.attributes) };
}

/** `tags`: an object of string values, or undefined when absent or null. Shared by every kind's bodies. */
export function parseTags(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw badParameter("Property 'tags' must be an object.");
  // No prototype: a tag named `__proto__` is a tag like any other, as it is for the library.
  const tags = Object.create(null) as Record<string, string>;
  for (const [key, tag] of Object.entries(value as Json)) {
    if (typeof tag !== "string") throw badParameter(`Tag '${shorten(key, 64)}' must have a string value.`);
    tags[key] = tag;
  }
  return tags;
}

/** The attributes every kind shares (`enabled`, `nbf`, `exp`); `{}`, absent or null parse to none. */
export interface ParsedAttributes {
  enabled?: boolean;
  notBefore?: Date;
  expiresOn?: Date;
}

/** `attributes` of any kind's body; the kind's own members (a key's `exportable`) are its parser's. */
export function parseAttributes(value: unknown): ParsedAttributes {
  const out: ParsedAttributes = {};
  if (value === undefined || value === null) return out;
  if (typeof value !== "object" || Array.isArray(value)) throw badParameter("Property 'attributes' must be an object.");
  const attributes = value as Json;
  if (attributes.enabled !== undefined && attributes.enabled !== null) {
    if (typeof attributes.enabled !== "boolean") throw badParameter("Property 'attributes.enabled' must be a boolean.");
    out.enabled = attributes.enabled;
  }
  const nbf = unixTime(attributes.nbf, "nbf");
  const exp = unixTime(attributes.exp, "exp");
  if (nbf) out.notBefore = nbf;
  if (exp) out.expiresOn = exp;
  return out;
}

/**
 * Key Vault times are integer Unix seconds; 0 or null means unset, as the SDK reads them. Only the
 * type is checked here: the range is the store's (core/rules.ts), the same rule the library meets.
 */
function unixTime(value: unknown, name: string): Date | undefined {
  if (value === undefined || value === null || value === 0) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw badParameter(`Property 'attributes.${name}' must be a Unix time in seconds.`);
  return new Date(Math.floor(value) * 1000);
}
