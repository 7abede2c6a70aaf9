import { InvalidNameError, InvalidValueError } from "../core/errors.js";
import { printable } from "../core/printable.js";
import { SecretStr } from "../core/secret-str.js";
import { isValidEnvName } from "./env-names.js";

/**
 * A value to write: a {@link SecretStr}, plain text, or `null` for an empty value (what
 * `getSecret` / `getSecrets` return for a secret that holds the empty string).
 */
export type EntryValue = SecretStr | string | null;

/** What every formatter takes: `[name, value]` pairs in output order; a `Map` fits as it is. */
export type Entries = Iterable<readonly [string, EntryValue]>;

/** What every parser returns: names in file order (a repeated name keeps its last value), values hidden. */
export type ParsedEntries = Map<string, SecretStr>;

/** The plain text of a value, at the one place it must leave the program: the formatted output. */
export function revealValue(value: EntryValue): string {
  if (value === null) return "";
  return typeof value === "string" ? value : value.reveal();
}

/** Formats that feed environments take only portable variable names. */
export function assertEnvVarName(name: string, format: string): void {
  if (!isValidEnvName(name)) {
    throw new InvalidNameError(
      `'${printableName(name)}' is not a variable name for the ${format} format (letters, digits and '_', not starting with a digit). ` +
        `Map secret names with toEnvName (db-password -> DB_PASSWORD).`,
    );
  }
}

/** A value no environment can hold (a NUL ends a C string), named by its variable only. */
export function assertNoNul(name: string, value: string, format: string): void {
  if (value.includes("\0")) {
    throw new InvalidValueError(`The value of ${name} contains a NUL character, which the ${format} format cannot carry.`, {
      secretName: name,
    });
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `value` has a lone UTF-16 surrogate, which no UTF-8 file can carry. */
export function hasLoneSurrogate(value: string): boolean {
  return LONE_SURROGATE.test(value);
}

/** Adds one parsed value; a name given twice keeps the last value, as shells and dotenv do. */
export function addParsed(out: ParsedEntries, name: string, value: string): void {
  out.set(name, new SecretStr(value));
}

export function printableName(name: string): string {
  return printable(name);
}
