import type { SecretPropertiesUpdate, SetSecretOptions } from "../core/types.js";
import { badParameter, KeyVaultHttpError } from "./http-error.js";

type Json = Record<string, unknown>;

/** Reads at most `limit` bytes; a longer body is refused with 413 before it is all buffered. */
export async function readJsonBody(request: Request, limit: number): Promise<Json> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge(limit);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > limit) throw tooLarge(limit);
      chunks.push(chunk);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
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

function tooLarge(limit: number): KeyVaultHttpError {
  return new KeyVaultHttpError(413, "RequestEntityTooLarge", `The request body is larger than ${limit} bytes.`);
}

/** PUT /secrets/{name}: `{"value", "contentType"?, "tags"?, "attributes"?: {"enabled"?, "nbf"?, "exp"?}}`. */
export function parseSetSecret(body: Json): { value: string; options: SetSecretOptions } {
  if (typeof body.value !== "string") throw badParameter("Property 'value' is required and must be a string.");
  return { value: body.value, options: { ...parseProperties(body) } };
}

/** PATCH /secrets/{name}/{version}: `{"contentType"?, "tags"?, "attributes"?}`; the value cannot change. */
export function parseUpdate(body: Json): SecretPropertiesUpdate {
  return parseProperties(body);
}

/** POST /secrets/restore: `{"value": base64url blob}`. */
export function parseRestore(body: Json): Uint8Array {
  if (typeof body.value !== "string" || body.value === "" || !/^[A-Za-z0-9_\-+/=]+$/.test(body.value)) {
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
  if (body.tags !== undefined && body.tags !== null) {
    if (typeof body.tags !== "object" || Array.isArray(body.tags)) throw badParameter("Property 'tags' must be an object.");
    for (const [key, value] of Object.entries(body.tags as Json)) {
      if (typeof value !== "string") throw badParameter(`Tag '${key.slice(0, 64)}' must have a string value.`);
    }
    out.tags = body.tags as Record<string, string>;
  }
  if (body.attributes !== undefined && body.attributes !== null) {
    if (typeof body.attributes !== "object" || Array.isArray(body.attributes)) {
      throw badParameter("Property 'attributes' must be an object.");
    }
    const attributes = body.attributes as Json;
    if (attributes.enabled !== undefined && attributes.enabled !== null) {
      if (typeof attributes.enabled !== "boolean") throw badParameter("Property 'attributes.enabled' must be a boolean.");
      out.enabled = attributes.enabled;
    }
    const nbf = unixTime(attributes.nbf, "nbf");
    const exp = unixTime(attributes.exp, "exp");
    if (nbf) out.notBefore = nbf;
    if (exp) out.expiresOn = exp;
  }
  return out;
}

/** Key Vault times are integer Unix seconds; 0 or null means unset, as the SDK reads them. */
function unixTime(value: unknown, name: string): Date | undefined {
  if (value === undefined || value === null || value === 0) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 253402300799) {
    throw badParameter(`Property 'attributes.${name}' must be a Unix time in seconds.`);
  }
  return new Date(Math.floor(value) * 1000);
}
