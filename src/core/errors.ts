/**
 * The error taxonomy. Every error we throw on purpose is an {@link OrbitraError} with a stable
 * string `code` (eslint.config.js refuses a bare `throw new Error` in src/); callers branch on the
 * code (or the type guards at the end), never on the message. Messages say what happened and what
 * to do, and never contain a secret's value. Key Vault's own texts are in object-errors.ts.
 */

/** The three kinds of object a vault holds; errors about one carry its kind and name. */
export type ObjectKind = "secret" | "key" | "certificate";

/** Stable codes. Adding one is fine; renaming one is a breaking change. */
export type ErrorCode =
  | "SecretNotFound"
  | "KeyNotFound"
  | "CertificateNotFound"
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
  /** The kind of object the operation was about; `secret` when only {@link secretName} is given. */
  kind?: ObjectKind | undefined;
  /** The object (secret, key or certificate) the operation was about, when there was one. */
  objectName?: string | undefined;
  /** Alias of {@link objectName}, from before keys and certificates; implies `kind: "secret"`. */
  secretName?: string | undefined;
  /** The vault the operation went to (a URL or a local store path). */
  vault?: string | undefined;
  /** HTTP status, when the error came from a Key Vault response. */
  statusCode?: number | undefined;
  /** The service's own error code (e.g. `ObjectIsDeletedButRecoverable`, `SecretDisabled`). */
  serviceCode?: string | undefined;
  cause?: unknown;
}

export class OrbitraError extends Error {
  readonly code: ErrorCode;
  readonly kind?: ObjectKind;
  readonly objectName?: string;
  /** The object's name whatever its kind (an alias of {@link objectName} kept for existing callers). */
  readonly secretName?: string;
  readonly vault?: string;
  readonly statusCode?: number;
  readonly serviceCode?: string;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.name = new.target.name;
    this.code = code;
    const objectName = context.objectName ?? context.secretName;
    const kind = context.kind ?? (context.secretName === undefined ? undefined : "secret");
    if (kind !== undefined) this.kind = kind;
    if (objectName !== undefined) {
      this.objectName = objectName;
      this.secretName = objectName;
    }
    if (context.vault !== undefined) this.vault = context.vault;
    if (context.statusCode !== undefined) this.statusCode = context.statusCode;
    if (context.serviceCode !== undefined) this.serviceCode = context.serviceCode;
  }
}

const NOT_FOUND_CODE = { secret: "SecretNotFound", key: "KeyNotFound", certificate: "CertificateNotFound" } as const satisfies Record<
  ObjectKind,
  ErrorCode
>;

/** The object (or the version asked for) does not exist, or is deleted; the code names the kind. */
export class NotFoundError extends OrbitraError {
  declare readonly kind: ObjectKind;

  constructor(kind: ObjectKind, message: string, context: ErrorContext = {}) {
    super(NOT_FOUND_CODE[kind], message, { ...context, kind });
  }
}

/** A {@link NotFoundError} about a secret: code `SecretNotFound`. */
export class SecretNotFoundError extends NotFoundError {
  constructor(message: string, context: ErrorContext = {}) {
    super("secret", message, context);
  }
}

/** The caller may not perform the operation (RBAC, access policy, or a disabled object). */
export class PermissionDeniedError extends OrbitraError {
  constructor(message: string, context: ErrorContext = {}) {
    super("PermissionDenied", message, context);
  }
}

/** No vault could be resolved, or a setting or option is malformed. */
export class ConfigurationError extends OrbitraError {
  constructor(message: string, context: ErrorContext = {}) {
    super("Configuration", message, context);
  }
}

/** A name or version breaks Key Vault's rules (names: 1-127 of `0-9a-zA-Z-`). */
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

/** The name is held by a deleted-but-recoverable object, or is being deleted, or is taken. */
export class ConflictError extends OrbitraError {
  constructor(message: string, context: ErrorContext = {}) {
    super("Conflict", message, context);
  }
}

/** The vault answered 429 and retries did not get through. */
export class ThrottledError extends OrbitraError {
  /** How long the service asked us to wait, when it said. */
  readonly retryAfterMs?: number;

  constructor(message: string, context: ErrorContext & { retryAfterMs?: number | undefined } = {}) {
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

/** Something that should not happen did (an unexpected service answer, a broken invariant). */
export class InternalError extends OrbitraError {
  constructor(message: string, context: ErrorContext = {}) {
    super("Internal", message, context);
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

/** Guards go by code, not class, so an error from another copy of this package still counts. */
function guard<T extends OrbitraError>(...codes: ErrorCode[]): (error: unknown) => error is T {
  return (error: unknown): error is T => isOrbitraError(error) && codes.includes(error.code);
}

export const isNotFoundError = guard<NotFoundError>(...Object.values(NOT_FOUND_CODE));
export const isSecretNotFoundError = guard<SecretNotFoundError>("SecretNotFound");
export const isPermissionDeniedError = guard<PermissionDeniedError>("PermissionDenied");
export const isConfigurationError = guard<ConfigurationError>("Configuration");
export const isInvalidNameError = guard<InvalidNameError>("InvalidName");
export const isInvalidValueError = guard<InvalidValueError>("InvalidValue");
export const isConflictError = guard<ConflictError>("Conflict");
export const isThrottledError = guard<ThrottledError>("Throttled");
export const isUnavailableError = guard<UnavailableError>("Unavailable");
export const isAuthenticationError = guard<AuthenticationError>("Authentication");
export const isInternalError = guard<InternalError>("Internal");
export const isSecretResolutionError = guard<SecretResolutionError>("SecretResolution");
