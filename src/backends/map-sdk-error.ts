import {
  AuthenticationError,
  ConflictError,
  InvalidNameError,
  InvalidValueError,
  isOrbitraError,
  OrbitraError,
  PermissionDeniedError,
  ThrottledError,
  UnavailableError,
  type ObjectKind,
} from "../core/errors.js";
import { notFoundError } from "../core/object-errors.js";

interface RestErrorLike {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  details?: unknown;
  response?: { headers?: { get(name: string): string | undefined } };
}

/**
 * What @azure/identity throws when no token comes: AuthenticationRequiredError is MSAL's refusal of
 * the client's credentials (AADSTS7000215, a wrong client secret), not a crash.
 */
const CREDENTIAL_ERRORS = new Set(["CredentialUnavailableError", "AuthenticationError", "AggregateAuthenticationError", "AuthenticationRequiredError"]);

/** MSAL's message carries timestamps and trace ids around the part that says what was wrong. */
function identityMessage(message: string): string {
  const description = /Description: (AADSTS\d+: .*?)(?: - (?:Timestamp|Trace ID|Correlation ID):|$)/.exec(message);
  const text = (description?.[1] ?? message).trim();
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Network-level failures: the vault could not be reached at all. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "REQUEST_SEND_ERROR",
]);

/**
 * Turns what the Azure SDK throws (a `RestError`, a credential failure, a socket error) into one
 * of our typed errors. The status code decides, not the message, which varies across services.
 */
export function mapSdkError(error: unknown, vault: string, objectName?: string, kind: ObjectKind = "secret"): OrbitraError {
  if (isOrbitraError(error)) return error;
  const e = (error ?? {}) as RestErrorLike;
  const message = e.message?.split("\n")[0] ?? String(error);
  const context = {
    vault,
    cause: error,
    ...(objectName !== undefined ? { kind, objectName } : {}),
    statusCode: e.statusCode,
    ...serviceCodeOf(e),
  };
  if (CREDENTIAL_ERRORS.has(e.name ?? "")) {
    return new AuthenticationError(
      `Could not get a token for ${vault}: ${identityMessage(message)} Run 'orbitra login' or set credentials for this environment ('orbitra account show' says which are in use).`,
      context,
    );
  }
  switch (e.statusCode) {
    case 400:
      return /invalid name/i.test(message)
        ? new InvalidNameError(message, context)
        : new InvalidValueError(`${vault} refused the request: ${message}`, context);
    case 401:
      return new AuthenticationError(
        `${vault} refused the token (401): ${message} Check the credentials in use ('orbitra account show'): 'orbitra login', ORBITRA_APP_CLIENT_ID/SECRET, AZURE_* variables, or 'az login'.`,
        context,
      );
    case 403:
      return new PermissionDeniedError(
        `${vault} denied the operation (403): ${message}${deniedAction(e.message)} Ask for a role that allows it (e.g. Key Vault Secrets Officer).`,
        context,
      );
    case 404:
      return notFoundError(kind, message, context);
    case 409:
      return new ConflictError(message, context);
    case 429: {
      const retryAfter = Number(e.response?.headers?.get("retry-after"));
      return new ThrottledError(
        `${vault} is throttling requests (429) and retries did not get through. Wait and try again, or read fewer secrets at once.`,
        { ...context, retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined },
      );
    }
  }
  if (e.statusCode !== undefined && e.statusCode >= 500) {
    return new UnavailableError(`${vault} answered ${e.statusCode}: ${message} Try again later.`, context);
  }
  if (e.statusCode === undefined && isNetworkFailure(e, message)) {
    return new UnavailableError(`Cannot reach ${vault}: ${message}. Check the URL, the network, and that the vault is running.`, context);
  }
  return new OrbitraError("Internal", `Unexpected error from ${vault}: ${message}`, context);
}

function serviceCodeOf(e: RestErrorLike): { serviceCode?: string } {
  const details = e.details as { error?: { code?: string; innerError?: { code?: string }; innererror?: { code?: string } } } | undefined;
  const inner = details?.error?.innerError?.code ?? details?.error?.innererror?.code;
  const code = inner ?? details?.error?.code ?? e.code;
  return code ? { serviceCode: code } : {};
}

function isNetworkFailure(e: RestErrorLike, message: string): boolean {
  if (e.code && (NETWORK_CODES.has(e.code) || e.code.startsWith("ERR_TLS") || e.code.includes("CERT"))) return true;
  return /certificate|self[- ]signed|socket hang up|ECONNREFUSED|ENOTFOUND/i.test(message);
}

/**
 * Key Vault's RBAC denial names the data action on a later line (`Action: '...'`), which the
 * one-line message above drops; it is the part that says which role is missing.
 */
function deniedAction(full: string | undefined): string {
  const match = /Action: '([\w./*-]{1,200})'/.exec(full ?? "");
  return match ? ` Action: ${match[1]}.` : "";
}
