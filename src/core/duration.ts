import { ConfigurationError } from "./errors.js";

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^\s*(-?\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/;

/**
 * Milliseconds from a number (already ms) or text like `30d`, `1.5h`, `90s`, `250ms` (a bare
 * number is ms). Negative durations are allowed: a test may step the clock back.
 */
export function parseDuration(input: number | string): number {
  if (typeof input === "number") {
    if (!Number.isFinite(input)) throw new ConfigurationError(`A duration must be a finite number of milliseconds, not ${input}.`);
    return input;
  }
  const match = DURATION.exec(input);
  if (!match) {
    throw new ConfigurationError(`'${input.slice(0, 20)}' is not a duration: use a number and a unit, e.g. 30d, 12h, 90s, 250ms.`);
  }
  return Math.round(Number(match[1]) * UNITS[match[2] ?? "ms"]!);
}
