import { isOrbitraError } from "../core/errors.js";

/** A Key Vault error reply: status plus `{"error":{"code","message","innererror"?}}`. */
export class KeyVaultHttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly innerCode?: string;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, options: { innerCode?: string; headers?: Record<string, string> } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    if (options.innerCode !== undefined) this.innerCode = options.innerCode;
    this.headers = options.headers ?? {};
  }

  body(): string {
    const error: Record<string, unknown> = { code: this.code, message: this.message };
    if (this.innerCode) error.innererror = { code: this.innerCode };
    return JSON.stringify({ error });
  }
}

export const badParameter = (message: string): KeyVaultHttpError => new KeyVaultHttpError(400, "BadParameter", message);

/** How a store failure looks on the wire: Key Vault's statuses and codes (fact sheet §5.2). */
export function toHttpError(error: unknown): KeyVaultHttpError {
  if (error instanceof KeyVaultHttpError) return error;
  if (!isOrbitraError(error)) {
    return new KeyVaultHttpError(500, "InternalServerError", "The server hit an unexpected error; see its log.");
  }
  switch (error.code) {
    case "SecretNotFound":
      return new KeyVaultHttpError(404, "SecretNotFound", error.message);
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
    case "InvalidValue":
      return badParameter(error.message);
    case "Unavailable":
    case "Throttled":
      return new KeyVaultHttpError(503, "ServiceUnavailable", error.message, { headers: { "Retry-After": "1" } });
    default:
      return new KeyVaultHttpError(500, "InternalServerError", error.message);
  }
}
