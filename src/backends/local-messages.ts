import { ConflictError, isOrbitraError, PermissionDeniedError, type ObjectKind } from "../core/errors.js";
import { notFoundError } from "../core/object-errors.js";

/**
 * The store words its errors as Key Vault does, because `vault serve` sends them on the wire to
 * SDKs that expect those texts. Someone using the local vault directly (the library, the CLI)
 * gets told what to run instead of "the correct recovery command" and a go.microsoft.com link.
 * Codes, service codes and context stay the store's: callers branch on those, not on words.
 */
export type LocalOperation = "read" | "deleted";

type WordedKind = ObjectKind;

const TITLE: Record<WordedKind, string> = { secret: "Secret", key: "Key", certificate: "Certificate" };
/** The CLI's command group of each kind, which the advice names. */
const GROUP: Record<WordedKind, string> = { secret: "secrets", key: "keys", certificate: "certs" };

export function inLocalWords(error: unknown, operation: LocalOperation, name: string, version?: string, kind: WordedKind = "secret"): unknown {
  if (!isOrbitraError(error)) return error;
  const context = {
    kind,
    objectName: error.objectName ?? name,
    ...(error.vault !== undefined ? { vault: error.vault } : {}),
    ...(error.statusCode !== undefined ? { statusCode: error.statusCode } : {}),
    ...(error.serviceCode !== undefined ? { serviceCode: error.serviceCode } : {}),
    cause: error,
  };
  const object = context.objectName;
  const group = GROUP[kind];
  switch (error.serviceCode) {
    case `${TITLE[kind]}NotFound`:
      return notFoundError(kind, operation === "deleted" ? deletedNotFoundText(object, kind) : notFoundText(object, version, kind), context);
    case "ObjectIsDeletedButRecoverable":
      return new ConflictError(
        `${TITLE[kind]} ${object} is deleted but still recoverable, so its name cannot be reused yet: 'orbitra ${group} recover ${object}' brings it back, 'orbitra ${group} purge ${object}' removes it for good.`,
        context,
      );
    case "SecretDisabled":
      return new PermissionDeniedError(
        `${version ? `Version ${version} of ${object}` : `The latest version of ${object}`} is disabled: 'orbitra secrets update ${object}${version ? ` --version ${version}` : ""} --enable' enables it.`,
        context,
      );
    default:
      return error;
  }
}

/** An object (or version) that is not there, with where to look if it was deleted. */
export function notFoundText(name: string, version?: string, kind: WordedKind = "secret"): string {
  return (
    `${TITLE[kind]} ${name}${version ? ` (version ${version})` : ""} not found. ` +
    `If it was deleted, 'orbitra ${GROUP[kind]} deleted' lists it and 'orbitra ${GROUP[kind]} recover ${name}' brings it back.`
  );
}

function deletedNotFoundText(name: string, kind: WordedKind): string {
  return `No deleted ${kind} named ${name}; 'orbitra ${GROUP[kind]} deleted' lists the deleted ${kind}s.`;
}
