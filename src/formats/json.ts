import { InvalidValueError } from "../core/errors.js";
import { addParsed, hasLoneSurrogate, printableName, revealValue, type Entries, type ParsedEntries } from "./entries.js";

/**
 * A flat JSON object of names to string values, two-space indented, ending in a newline:
 * `{ "DB_PASSWORD": "..." }`. JSON carries every value exactly (newlines, CR, quotes, unicode),
 * so it is the format to use when another format refuses a value. Names are taken as given
 * (secret names or variable names: the caller decides).
 */
export function formatJson(entries: Entries): string {
  const object: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, entryValue] of entries) {
    const value = revealValue(entryValue);
    if (hasLoneSurrogate(value)) {
      throw new InvalidValueError(`The value of ${printableName(name)} is not valid Unicode text, which a JSON file cannot carry portably.`, {
        secretName: name,
      });
    }
    object[name] = value;
  }
  return `${JSON.stringify(object, null, 2)}\n`;
}

/**
 * Reads a JSON object whose values are all strings. Anything else (an array, a nested object, a
 * number, null) throws `InvalidValueError` naming the key, never a value.
 */
export function parseJson(text: string): ParsedEntries {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    // The parser's message can quote the text around the error, which may be a value: keep only the kind.
    const kind = error instanceof SyntaxError ? "it is not valid JSON" : "it could not be parsed";
    throw new InvalidValueError(`Cannot read the JSON text: ${kind}.`);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new InvalidValueError("The JSON text must be an object of names to string values.");
  }
  const out: ParsedEntries = new Map();
  for (const [name, value] of Object.entries(doc)) {
    if (typeof value !== "string") {
      throw new InvalidValueError(`In the JSON text, '${printableName(name)}' must be a string (it is ${describe(value)}).`, {
        secretName: name,
      });
    }
    addParsed(out, name, value);
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
