import { PermissionDeniedError } from "../core/errors.js";
import type { SecretProperties } from "../core/types.js";

/**
 * Key Vault refuses to read a disabled version (403, inner code SecretDisabled), yet lists it with
 * its properties. Both the backend (a PATCH needs the version id) and the client (properties of a
 * disabled secret) fall back to the version list when a read meets this.
 */
export function isDisabledRead(error: unknown): error is PermissionDeniedError {
  return error instanceof PermissionDeniedError && error.serviceCode === "SecretDisabled";
}

/** The latest of a secret's versions: the last created (the later one of a tie, as the list gives them). */
export function latestOf(versions: Iterable<SecretProperties>): SecretProperties | undefined {
  let latest: SecretProperties | undefined;
  for (const version of versions) {
    if (!latest || version.createdOn.getTime() >= latest.createdOn.getTime()) latest = version;
  }
  return latest;
}
