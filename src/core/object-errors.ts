import { ConflictError, NotFoundError, PermissionDeniedError, SecretNotFoundError, type ErrorContext, type ObjectKind } from "./errors.js";

/**
 * Key Vault's own texts for the errors every kind of object meets (docs/keyvault-wire.md, "Errors"),
 * so the local store, the server and the Key Vault backend say the same thing. The text is a
 * function of the kind: Key Vault words a key's or a certificate's as it words a secret's.
 */

const TITLE: Readonly<Record<ObjectKind, string>> = { secret: "Secret", key: "Key", certificate: "Certificate" };

/** The 404's inner code Key Vault sends: `SecretNotFound`, `KeyNotFound`, `CertificateNotFound`. */
export function notFoundCode(kind: ObjectKind): string {
  return `${TITLE[kind]}NotFound`;
}

/** A secret's is a {@link SecretNotFoundError}, as it always was. */
export function notFoundError(kind: ObjectKind, message: string, context: ErrorContext): NotFoundError {
  return kind === "secret" ? new SecretNotFoundError(message, context) : new NotFoundError(kind, message, context);
}

export function objectNotFound(kind: ObjectKind, name: string, version?: string): NotFoundError {
  const id = version ? `${name}/${version}` : name;
  return notFoundError(
    kind,
    `A ${kind} with (name/id) ${id} was not found in this key vault. If you recently deleted this ${kind} you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
    { objectName: name, statusCode: 404, serviceCode: notFoundCode(kind) },
  );
}

export function deletedObjectNotFound(kind: ObjectKind, name: string): NotFoundError {
  return notFoundError(kind, `Deleted ${TITLE[kind]} not found: ${name}`, {
    objectName: name,
    statusCode: 404,
    serviceCode: notFoundCode(kind),
  });
}

export function objectDisabled(kind: ObjectKind, name: string, operation = "get"): PermissionDeniedError {
  return new PermissionDeniedError(`Operation ${operation} is not allowed on a disabled ${kind}.`, {
    kind,
    objectName: name,
    statusCode: 403,
    serviceCode: `${TITLE[kind]}Disabled`,
  });
}

/**
 * A certificate's key or secret changed on its own (set, update, delete): Key Vault's 403, inner
 * code `SecretManagedByKeyVault` (seen on the wire; `KeyManagedByKeyVault` by analogy). The
 * certificate is what to change.
 */
export function managedByKeyVault(kind: ObjectKind, name: string, operation: string): PermissionDeniedError {
  return new PermissionDeniedError(
    `Operation "${operation}" is not allowed as this object's lifetime is managed by Key Vault. Change the certificate ${name} instead.`,
    { kind, objectName: name, statusCode: 403, serviceCode: `${TITLE[kind]}ManagedByKeyVault` },
  );
}

export function deletedButRecoverable(kind: ObjectKind, name: string): ConflictError {
  return new ConflictError(
    `${TITLE[kind]} ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the ${kind} can only be recovered or purged.`,
    { kind, objectName: name, statusCode: 409, serviceCode: "ObjectIsDeletedButRecoverable" },
  );
}

export function alreadyExists(kind: ObjectKind, name: string): ConflictError {
  return new ConflictError(
    `${TITLE[kind]} ${name} already exists. A backup restores only under a free name: delete and purge the existing ${kind} first.`,
    { kind, objectName: name, statusCode: 409, serviceCode: "Conflict" },
  );
}
