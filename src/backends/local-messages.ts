import { ConflictError, isOrbitraError, PermissionDeniedError, SecretNotFoundError } from "../core/errors.js";

/**
 * The store words its errors as Key Vault does, because `vault serve` sends them on the wire to
 * SDKs that expect those texts. Someone using the local vault directly (the library, the CLI)
 * gets told what to run instead of "the correct recovery command" and a go.microsoft.com link.
 * Codes, service codes and context stay the store's: callers branch on those, not on words.
 */
export type LocalOperation = "read" | "deleted";

export function inLocalWords(error: unknown, operation: LocalOperation, name: string, version?: string): unknown {
  if (!isOrbitraError(error)) return error;
  const context = {
    secretName: error.secretName ?? name,
    ...(error.vault !== undefined ? { vault: error.vault } : {}),
    ...(error.statusCode !== undefined ? { statusCode: error.statusCode } : {}),
    ...(error.serviceCode !== undefined ? { serviceCode: error.serviceCode } : {}),
    cause: error,
  };
  const secret = context.secretName;
  switch (error.serviceCode) {
    case "SecretNotFound":
      return new SecretNotFoundError(operation === "deleted" ? deletedNotFoundText(secret) : notFoundText(secret, version), context);
    case "ObjectIsDeletedButRecoverable":
      return new ConflictError(
        `Secret ${secret} is deleted but still recoverable, so its name cannot be reused yet: 'orbitra secrets recover ${secret}' brings it back, 'orbitra secrets purge ${secret}' removes it for good.`,
        context,
      );
    case "SecretDisabled":
      return new PermissionDeniedError(
        `${version ? `Version ${version} of ${secret}` : `The latest version of ${secret}`} is disabled: 'orbitra secrets update ${secret}${version ? ` --version ${version}` : ""} --enable' enables it.`,
        context,
      );
    default:
      return error;
  }
}

/** A secret (or version) that is not there, with where to look if it was deleted. */
export function notFoundText(name: string, version?: string): string {
  return (
    `Secret ${name}${version ? ` (version ${version})` : ""} not found. ` +
    `If it was deleted, 'orbitra secrets deleted' lists it and 'orbitra secrets recover ${name}' brings it back.`
  );
}

function deletedNotFoundText(name: string): string {
  return `No deleted secret named ${name}; 'orbitra secrets deleted' lists the deleted secrets.`;
}
