/**
 * The error taxonomy. Every error we throw on purpose is an {@link OrbitraError} with a stable
 * string `code`; callers branch on the code (or the type guards), never on the message. Messages
 * say what happened and what to do, and never contain a secret's value.
 */

/** Stable codes. Adding one is fine; renaming one is a breaking change. */
export type ErrorCode =
  | "SecretNotFound"
  | "PermissionDenied"
  | "Configuration"
  | "InvalidName"
  | "InvalidValue"
  | "Conflict"
  | "Throttled"
  | "Unavailable"
  | "Authentication"
  | "SecretResolution"
  | "Internal";

export interface ErrorContext {
  /** The secret the operation was about, when there was one. */
  secretName?: string;
  /** The vault the operation went to (a URL or a local store path). */
  vault?: string;
  /** HTTP status, when the error came from a Key Vault response. */
  statusCode?: number;
  /** The service's own error code (e.g. `ObjectIsDeletedButRecoverable`, `SecretDisabled`). */
  serviceCode?: string;
  cause?: unknown;
}

export class OrbitraError extends Error {
  readonly code: ErrorCode;
  readonly secretName?: string;
  readonly vault?: string;
  readonly statusCode?: number;
  readonly serviceCode?: string;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = new.target.name;
    this.code = code;
    if (context.secretName !== undefined) this.secretName = context.secretName;
    if (context.vault !== undefined) this.vault = context.vault;
    if (context.statusCode !== undefined) this.statusCode = context.statusCode;
    if (context.serviceCode !== undefined) this.serviceCode = context.serviceCode;
  }
}

/** The secret (or the version asked for) does not exist, or is deleted. */
export class SecretNotFoundError extends OrbitraError {
  constructor(message: string, context: ErrorContext = {}) {
    super("SecretNotFound", message, context);
  }
}

/** The caller may not perform the operation (RBAC, access policy, or a disabled secret). */
export class PermissionDeniedError extends OrbitraError {
  constructor(message: string, context: ErrorContext = {}) {
    super("PermissionDenied", message, context);
  }
}

/** No vault could be resolved, or a setting is malformed. */
export class ConfigurationError extends OrbitraError {
  constructor(message: string, context: ErrorContext = {}) {
    super("Configuration", message, context);
  }
}

/** A name breaks Key Vault's rules (1-127 of `0-9a-zA-Z-`). */
export class InvalidNameError extends OrbitraError {
  constructor(message: string, context: ErrorContext = {}) {
    super("InvalidName", message, context);
  }
}

/** A value, tag, content type, date or backup blob breaks Key Vault's rules. */
export class InvalidValueError extends OrbitraError {
  constructor(message: string, context: ErrorContext = {}) {
    super("InvalidValue", message, context);
  }
}

/** The name is held by a deleted-but-recoverable secret, or is being deleted. */
export class ConflictError extends OrbitraError {
  constructor(message: string, context: ErrorContext = {}) {
    super("Conflict", message, context);
  }
}

/** The vault answered 429 and retries did not get through. */
export class ThrottledError extends OrbitraError {
  /** How long the service asked us to wait, when it said. */
  readonly retryAfterMs?: number;

  constructor(message: string, context: ErrorContext & { retryAfterMs?: number } = {}) {
    super("Throttled", message, context);
    if (context.retryAfterMs !== undefined) this.retryAfterMs = context.retryAfterMs;
  }
}

/** The vault could not be reached or answered 5xx (connection, TLS, DNS, a busy store). */
export class UnavailableError extends OrbitraError {
  constructor(message: string, context: ErrorContext = {}) {
    super("Unavailable", message, context);
  }
}

/** No credential could produce a token, or the token was refused. */
export class AuthenticationError extends OrbitraError {
  constructor(message: string, context: ErrorContext = {}) {
    super("Authentication", message, context);
  }
}

/** One or more secret references could not be resolved. */
export class SecretResolutionError extends OrbitraError {
  /** Every reference that failed, with why; never a value. */
  readonly failures: readonly { key: string; reference: string; reason: string }[];

  constructor(message: string, failures: readonly { key: string; reference: string; reason: string }[] = []) {
    super("SecretResolution", message);
    this.failures = failures;
  }
}

export function isOrbitraError(error: unknown): error is OrbitraError {
  return error instanceof OrbitraError;
}

export function isSecretNotFoundError(error: unknown): error is SecretNotFoundError {
  return isOrbitraError(error) && error.code === "SecretNotFound";
}

export function isPermissionDeniedError(error: unknown): error is PermissionDeniedError {
  return isOrbitraError(error) && error.code === "PermissionDenied";
}

export function isConfigurationError(error: unknown): error is ConfigurationError {
  return isOrbitraError(error) && error.code === "Configuration";
}

export function isConflictError(error: unknown): error is ConflictError {
  return isOrbitraError(error) && error.code === "Conflict";
}
