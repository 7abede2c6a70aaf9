import { parseDuration } from "../core/duration.js";
import { ConfigurationError } from "../core/errors.js";

/**
 * Wall-clock time plus an offset the tests move: the stores (timestamps, expiry, scheduled
 * purge) read `now`, so advancing it by 30 days makes 30 days pass for the vault without sleeping.
 * Time keeps running from where it was set, as a real clock does.
 */
export class MovableClock {
  #offset = 0;

  /** Milliseconds since the epoch, as the vault sees them. Bound, so it can be passed as a `Clock`. */
  readonly now = (): number => Date.now() + this.#offset;

  /** Moves the clock forward (or back, with a negative duration): `advance("30d")`, `advance(1500)`. */
  advance(by: number | string): Date {
    this.#offset += parseDuration(by);
    return new Date(this.now());
  }

  /** Sets the clock to a moment (a Date, ms since the epoch, or an ISO 8601 text). */
  set(to: Date | number | string): Date {
    const at = to instanceof Date ? to.getTime() : typeof to === "number" ? to : Date.parse(to);
    if (!Number.isFinite(at)) throw new ConfigurationError(`'${String(to).slice(0, 40)}' is not a date: use ISO 8601, e.g. 2030-01-01T00:00:00Z.`);
    this.#offset = at - Date.now();
    return new Date(this.now());
  }

  /** Back to the real time. */
  reset(): void {
    this.#offset = 0;
  }
}
