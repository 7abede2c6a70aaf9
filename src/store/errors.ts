import { ConflictError, SecretNotFoundError, UnavailableError } from "../core/errors.js";

/** Key Vault's own texts (fact sheet §5.2), so both backends say the same thing. */
export function secretNotFound(name: string, version?: string): SecretNotFoundError {
  const id = version ? `${name}/${version}` : name;
  return new SecretNotFoundError(
    `A secret with (name/id) ${id} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
    { secretName: name, serviceCode: "SecretNotFound" },
  );
}

export function deletedSecretNotFound(name: string): SecretNotFoundError {
  return new SecretNotFoundError(`Deleted Secret not found: ${name}`, { secretName: name, serviceCode: "SecretNotFound" });
}

export function deletedButRecoverable(name: string): ConflictError {
  return new ConflictError(
    `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
    { secretName: name, serviceCode: "ObjectIsDeletedButRecoverable" },
  );
}

export function alreadyExists(name: string): ConflictError {
  return new ConflictError(`Secret ${name} already exists; delete and purge it before restoring a backup of it.`, {
    secretName: name,
    serviceCode: "Conflict",
  });
}

/** SQLite gave up waiting for another process's lock: the vault is busy, not broken. */
export function mapSqliteBusy(error: unknown, path: string): unknown {
  const code = (error as { code?: string }).code;
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") {
    return new UnavailableError(
      `The vault file ${path} is locked by another process for too long. Try again; if it persists, look for a stuck orbitra process.`,
      { vault: path, cause: error },
    );
  }
  return error;
}
