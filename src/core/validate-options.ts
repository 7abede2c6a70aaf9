import { assertValidContentType, assertValidDate, assertValidTags, assertValidValue } from "./rules.js";
import { isSecretStr, type SecretStr } from "./secret-str.js";
import type { SecretPropertiesUpdate, SetSecretOptions } from "./types.js";

/** Checks the attribute part of a write or an update, the same way for both. */
export function assertValidAttributes(options: SetSecretOptions | SecretPropertiesUpdate, name?: string): void {
  if (options.contentType !== undefined) assertValidContentType(options.contentType, name);
  if (options.tags !== undefined) assertValidTags(options.tags, name);
  if (options.notBefore !== undefined) assertValidDate(options.notBefore, "notBefore", name);
  if (options.expiresOn !== undefined) assertValidDate(options.expiresOn, "expiresOn", name);
}

/**
 * The plain text of a value as a write receives it, checked: a string, or a SecretStr (duck-typed,
 * so one from another copy of this package counts). Anything else is an InvalidValue error, never
 * a TypeError from calling `reveal` on a number. The store and the client both write through it.
 */
export function plainValue(value: unknown, name?: string): string {
  const plain = isSecretStr(value) || typeof (value as Partial<SecretStr> | null)?.reveal === "function" ? (value as SecretStr).reveal() : value;
  assertValidValue(plain, name);
  return plain;
}
