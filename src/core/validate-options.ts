import { assertValidContentType, assertValidDate, assertValidTags } from "./rules.js";
import type { SecretPropertiesUpdate, SetSecretOptions } from "./types.js";

/** Checks the attribute part of a write or an update, the same way for both. */
export function assertValidAttributes(options: SetSecretOptions | SecretPropertiesUpdate, name?: string): void {
  if (options.contentType !== undefined) assertValidContentType(options.contentType, name);
  if (options.tags !== undefined) assertValidTags(options.tags, name);
  if (options.notBefore !== undefined) assertValidDate(options.notBefore, "notBefore", name);
  if (options.expiresOn !== undefined) assertValidDate(options.expiresOn, "expiresOn", name);
}
