import { InvalidValueError } from "../core/errors.js";
import {
  addParsed,
  assertEnvVarName,
  hasLoneSurrogate,
  revealValue,
  type Entries,
  type ParsedEntries,
} from "./entries.js";

/**
 * `docker run --env-file` files: `NAME=value` per line, the value taken as it is to the end of
 * the line (docker/cli `pkg/kvfile`): no quoting, no escapes, no expansion; whitespace around the
 * value is kept; since docker 28 a value wrapped in a matching pair of `'` or `"` loses them,
 * before that it kept them.
 *
 * So some values cannot be written, and {@link formatDocker} throws `InvalidValueError` naming the
 * variable (never the value) instead of writing something docker would read differently:
 * a line break (LF or CR) anywhere, a NUL, text that is not valid Unicode, and a value that
 * starts and ends with the same quote character (docker versions disagree on it). Use the json
 * or dotenv format (compose's `env_file:` reads dotenv quoting) for such values.
 */
export function formatDocker(entries: Entries): string {
  let out = "";
  for (const [name, entryValue] of entries) {
    assertEnvVarName(name, "docker env-file");
    const value = revealValue(entryValue);
    const reason = dockerCannotCarry(value);
    if (reason) {
      throw new InvalidValueError(
        `The value of ${name} ${reason}, which a docker --env-file cannot carry. Use the json or dotenv format for it.`,
        { secretName: name },
      );
    }
    out += `${name}=${value}\n`;
  }
  return out;
}

/** Why docker's env-file cannot carry `value`, or `undefined` when it can. */
export function dockerCannotCarry(value: string): string | undefined {
  if (/[\r\n]/.test(value)) return "contains a line break";
  if (value.includes("\0")) return "contains a NUL character";
  if (hasLoneSurrogate(value)) return "is not valid Unicode text";
  if (value.length >= 2 && (value[0] === "'" || value[0] === '"') && value.endsWith(value[0])) {
    return "starts and ends with the same quote character (docker versions read that differently)";
  }
  return undefined;
}

/**
 * Reads an env-file as current docker does: leading whitespace of a line dropped, `#` lines and
 * blank lines skipped, `NAME=value` split at the first `=`, a matching pair of outer quotes
 * removed; a name without `=` (docker looks it up in its own environment) throws.
 */
export function parseDocker(text: string): ParsedEntries {
  const out: ParsedEntries = new Map();
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, "").replace(/^\s+/, "");
    if (line === "" || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    const name = eq < 0 ? line : line.slice(0, eq);
    if (eq <= 0 || /[ \t]/.test(name)) {
      throw new InvalidValueError(
        `Cannot read the env-file at line ${index + 1}: ${eq < 0 ? "expected NAME=value (a bare NAME takes docker's own environment)" : "expected a name without spaces before '='"}.`,
      );
    }
    let value = line.slice(eq + 1);
    if (value.length >= 2 && (value[0] === "'" || value[0] === '"') && value.endsWith(value[0])) value = value.slice(1, -1);
    addParsed(out, name, value);
  });
  return out;
}
