import { InvalidNameError, InvalidValueError } from "./errors.js";
import { printable } from "./printable.js";

/**
 * Key Vault's limits (docs/keyvault-wire.md §11.1), checked before anything is stored or sent, so that a bad
 * input costs no network call and leaves nothing half-written.
 */
export const LIMITS = Object.freeze({
  nameMaxLength: 127,
  /** 25 KB, counted in UTF-8 bytes as the service counts the request body. */
  valueMaxBytes: 25 * 1024,
  contentTypeMaxLength: 255,
  tagsMaxCount: 15,
  /** The docs disagree (256 for keys, 512 for secrets); 256 is what every vault accepts. */
  tagNameMaxLength: 256,
  tagValueMaxLength: 256,
});

const NAME_PATTERN = /^[0-9a-zA-Z-]+$/;
/** Half of a surrogate pair without its other half: no UTF-8 for it, so it would be stored as U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * The last second Key Vault's integer Unix times, a Date and every client can show:
 * 9999-12-31T23:59:59Z. The library and the server refuse later dates alike (a JS Date goes on
 * to the year 275760, which the wire would refuse).
 */
export const MAX_DATE_MS = 253402300799_000;
const VERSION_PATTERN = /^[0-9a-fA-F]{32}$/;

/** Orders by name in code-unit order, as Python's `sorted()` does in the original (not locale order). */
export function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** A Key Vault version id: 32 hexadecimal characters (any case; Key Vault compares ids case-insensitively). */
export function isVersionId(text: string): boolean {
  return VERSION_PATTERN.test(text);
}

/** Throws {@link InvalidNameError} unless `name` is 1-127 characters of `0-9a-zA-Z-`. */
export function assertValidName(name: unknown, what = "secret"): asserts name is string {
  if (typeof name !== "string" || name.length === 0) {
    throw new InvalidNameError(`A ${what} name is required (1-127 characters of 0-9, a-z, A-Z and -).`);
  }
  if (name.length > LIMITS.nameMaxLength) {
    throw new InvalidNameError(
      `The ${what} name is ${name.length} characters long; Key Vault allows at most ${LIMITS.nameMaxLength}.`,
      { secretName: name.slice(0, 40) + "..." },
    );
  }
  if (!NAME_PATTERN.test(name)) {
    throw new InvalidNameError(
      `Invalid ${what} name '${printable(name)}': Key Vault allows only letters, digits and '-' (no '_', '.' or spaces).`,
      { secretName: name },
    );
  }
}

/** True when `name` would pass {@link assertValidName}. */
export function isValidName(name: string): boolean {
  return name.length > 0 && name.length <= LIMITS.nameMaxLength && NAME_PATTERN.test(name);
}

/** Throws unless `version` is a 32-character hex version id. */
export function assertValidVersion(version: unknown): asserts version is string {
  if (typeof version !== "string" || !VERSION_PATTERN.test(version)) {
    throw new InvalidNameError(`Invalid version '${printable(String(version))}': a version is 32 hexadecimal characters.`);
  }
}

/** True when `text` has a lone surrogate, which UTF-8 cannot carry. */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/**
 * Throws {@link InvalidValueError} when the value is not a string, holds a lone surrogate (it
 * would come back as U+FFFD: a different value than was written), or is over 25 KB.
 */
export function assertValidValue(value: unknown, name?: string): asserts value is string {
  if (typeof value !== "string") {
    throw new InvalidValueError("A secret value must be a string (or a SecretStr).", ctx(name));
  }
  if (hasLoneSurrogate(value)) {
    throw new InvalidValueError("The value holds a lone UTF-16 surrogate, which UTF-8 cannot store; pass well-formed text.", ctx(name));
  }
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes > LIMITS.valueMaxBytes) {
    throw new InvalidValueError(
      `The value is ${bytes} bytes; Key Vault allows at most ${LIMITS.valueMaxBytes} bytes (25 KB) per secret. Store large blobs elsewhere and keep a reference here.`,
      ctx(name),
    );
  }
}

export function assertValidContentType(contentType: unknown, name?: string): asserts contentType is string {
  if (typeof contentType !== "string") {
    throw new InvalidValueError("A content type must be a string.", ctx(name));
  }
  if (hasLoneSurrogate(contentType)) {
    throw new InvalidValueError("The content type holds a lone UTF-16 surrogate, which UTF-8 cannot store.", ctx(name));
  }
  if (contentType.length > LIMITS.contentTypeMaxLength) {
    throw new InvalidValueError(
      `The content type is ${contentType.length} characters; Key Vault allows at most ${LIMITS.contentTypeMaxLength}.`,
      ctx(name),
    );
  }
}

export function assertValidTags(tags: unknown, name?: string): asserts tags is Record<string, string> {
  if (tags === null || typeof tags !== "object" || Array.isArray(tags)) {
    throw new InvalidValueError("Tags must be an object of string names to string values.", ctx(name));
  }
  const entries = Object.entries(tags);
  if (entries.length > LIMITS.tagsMaxCount) {
    throw new InvalidValueError(
      `${entries.length} tags given; Key Vault allows at most ${LIMITS.tagsMaxCount} per secret.`,
      ctx(name),
    );
  }
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > LIMITS.tagNameMaxLength) {
      throw new InvalidValueError(
        `Tag name '${printable(key)}' must be 1-${LIMITS.tagNameMaxLength} characters.`,
        ctx(name),
      );
    }
    if (typeof value !== "string") {
      throw new InvalidValueError(`Tag '${printable(key)}' must have a string value.`, ctx(name));
    }
    if (hasLoneSurrogate(key) || hasLoneSurrogate(value)) {
      throw new InvalidValueError(`Tag '${printable(key)}' holds a lone UTF-16 surrogate, which UTF-8 cannot store.`, ctx(name));
    }
    if (value.length > LIMITS.tagValueMaxLength) {
      throw new InvalidValueError(
        `Tag '${printable(key)}' has a value of ${value.length} characters; Key Vault allows at most ${LIMITS.tagValueMaxLength}.`,
        ctx(name),
      );
    }
  }
}

/** Checks a date attribute (notBefore / expiresOn): a valid Date, representable in Unix seconds. */
export function assertValidDate(value: unknown, what: string, name?: string): asserts value is Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new InvalidValueError(`${what} must be a valid date (ISO 8601, e.g. 2027-01-31T00:00:00Z).`, ctx(name));
  }
  if (value.getTime() < 1000) {
    throw new InvalidValueError(`${what} must be after 1970-01-01T00:00:01Z.`, ctx(name));
  }
  if (value.getTime() > MAX_DATE_MS) {
    throw new InvalidValueError(`${what} must be at most 9999-12-31T23:59:59Z.`, ctx(name));
  }
}

function ctx(name: string | undefined): { secretName?: string } {
  return name === undefined ? {} : { secretName: name };
}


