import { isNotFoundError, isOrbitraError } from "../core/errors.js";
import { scrubControl } from "../core/printable.js";
import { VAULT_LOCKED } from "../store/errors.js";
import { MALFORMED_BACKUP } from "../store/secrets/backup-blob.js";

/**
 * A Key Vault error reply: a status plus `{"error":{"code","message","innererror"?}}`. Every
 * non-2xx answer of the server is one of these, because the SDK turns an empty or non-JSON error
 * body into a TypeError and loses the status its pollers branch on (docs/keyvault-wire.md §5.3).
 */
export class KeyVaultHttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly innerCode?: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, options: { innerCode?: string; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = "KeyVaultHttpError";
    this.status = status;
    this.code = code;
    if (options.innerCode !== undefined) this.innerCode = options.innerCode;
    this.headers = options.headers ?? {};
  }

  /** The JSON body, in Key Vault's envelope. */
  body(): string {
    return errorBody(this.code, this.message, this.innerCode);
  }
}

export function errorBody(code: string, message: string, innerCode?: string): string {
  const error: Record<string, unknown> = { code, message };
  if (innerCode) error.innererror = { code: innerCode };
  return JSON.stringify({ error });
}

export const badParameter = (message: string): KeyVaultHttpError => new KeyVaultHttpError(400, "BadParameter", message);

export const invalidName = (name: string): KeyVaultHttpError =>
  badParameter(`The request URI contains an invalid name: ${shorten(name, 130)}`);

export const invalidVersion = (version: string): KeyVaultHttpError =>
  badParameter(`The request URI contains an invalid version: ${shorten(version, 64)}`);

export function notFound(): KeyVaultHttpError {
  return new KeyVaultHttpError(
    404,
    "NotFound",
    "No such resource. orbitra vault serve implements Key Vault's secrets, keys and certificates APIs (/secrets, /deletedsecrets, /keys, /deletedkeys, /rng, /certificates, /deletedcertificates).",
  );
}

export function methodNotAllowed(method: string, allowed: readonly string[]): KeyVaultHttpError {
  return new KeyVaultHttpError(405, "MethodNotAllowed", `The method ${shorten(method, 16)} is not allowed on this resource.`, {
    headers: { allow: allowed.join(", ") },
  });
}

export function tooLarge(limit: number): KeyVaultHttpError {
  // The rest of an oversize body is not read: the connection closes after this reply.
  return new KeyVaultHttpError(413, "RequestEntityTooLarge", `The request body is larger than ${limit} bytes.`, {
    headers: { connection: "close" },
  });
}

/**
 * The client hung up before its request arrived: nobody is left to answer, and it is no fault of
 * the server's. 499 is nginx's status for it; it only ever reaches the access log.
 */
export const clientClosed = (): KeyVaultHttpError =>
  new KeyVaultHttpError(499, "ClientClosedRequest", "The client closed the connection before its request body arrived.");

/** The one error a request can meet that is our fault; its message names no input, so no value leaks. */
export const internalError = (): KeyVaultHttpError =>
  new KeyVaultHttpError(500, "InternalServerError", "The server hit an unexpected error; its log has the details.");

/**
 * How a store failure looks on the wire: Key Vault's statuses and codes (docs/keyvault-wire.md §5.2). The
 * store already words its messages as Key Vault does and names the service's sub-code.
 */
export function toHttpError(error: unknown): KeyVaultHttpError {
  if (error instanceof KeyVaultHttpError) return error;
  if (!isOrbitraError(error)) return internalError();
  // The not-found codes are Key Vault's own: SecretNotFound, KeyNotFound, CertificateNotFound.
  if (isNotFoundError(error)) return new KeyVaultHttpError(404, error.code, error.message);
  switch (error.code) {
    case "PermissionDenied":
      return new KeyVaultHttpError(403, "Forbidden", error.message, error.serviceCode ? { innerCode: error.serviceCode } : {});
    case "Conflict":
      return new KeyVaultHttpError(
        409,
        "Conflict",
        error.message,
        error.serviceCode && error.serviceCode !== "Conflict" ? { innerCode: error.serviceCode } : {},
      );
    case "InvalidName":
      return badParameter(error.message);
    case "InvalidValue":
      // Key Vault's words for a blob it cannot read; the store's longer hint is for the library's users.
      if (error.serviceCode === MALFORMED_BACKUP) return new KeyVaultHttpError(400, MALFORMED_BACKUP, "Backup blob contains invalid or corrupt version.");
      return badParameter(error.message);
    case "Throttled":
      return new KeyVaultHttpError(429, "Throttled", error.message, { headers: { "retry-after": "1" } });
    case "Unavailable":
      // A vault file locked by another process past our patience: worth a retry, which Retry-After
      // invites. The store's message names the file; a client has no business knowing the path.
      return new KeyVaultHttpError(
        503,
        "ServiceUnavailable",
        error.serviceCode === VAULT_LOCKED ? "The vault is busy: another process held its write lock too long. Try again." : error.message,
        { headers: { "retry-after": "1" } },
      );
    default:
      return internalError();
  }
}

/**
 * A restore whose blob the store cannot decode (not ours, changed, another vault key) gets Key
 * Vault's own answer, code and message word for word, which clients match on; other failures keep
 * theirs. Every kind's restore route runs its store call through this.
 */
export function restoring<T>(restore: () => T): T {
  try {
    return restore();
  } catch (error) {
    if (isOrbitraError(error) && error.code === "InvalidValue") {
      throw new KeyVaultHttpError(400, MALFORMED_BACKUP, "Backup blob contains invalid or corrupt version.");
    }
    throw error;
  }
}

export function shorten(text: string, max: number): string {
  const clean = scrubControl(text);
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}
