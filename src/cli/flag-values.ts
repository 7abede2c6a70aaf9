import { InvalidValueError } from "../core/errors.js";
import { UsageError } from "./usage-error.js";

/** `k=v` pairs from repeated `--tag` flags into a tags object. */
export function parseTags(pairs: string[] | undefined): Record<string, string> | undefined {
  if (!pairs) return undefined;
  const tags: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new UsageError(`Tag '${pair}' is not NAME=VALUE.`);
    tags[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return tags;
}

export function parseDate(text: string | undefined, flag: string): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new InvalidValueError(`${flag} '${text}' is not a date; use ISO 8601, e.g. 2027-01-31 or 2027-01-31T12:00:00Z.`);
  }
  return date;
}

/** Commander collects a repeatable option into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
