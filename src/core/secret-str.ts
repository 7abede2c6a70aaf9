import { InvalidValueError } from "./errors.js";

const REDACTED = "**********";
const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/**
 * A secret value that stays hidden until revealed on purpose.
 *
 * `toString`, template literals, string concatenation, `JSON.stringify`, `util.inspect` and
 * `console.log` all print `**********`. The value lives in a private field, so it is not an
 * enumerable property that a logger or a structured-clone could walk into.
 */
export class SecretStr {
  readonly #value: string;

  constructor(value: string) {
    if (typeof value !== "string") {
      throw new InvalidValueError("SecretStr holds a string");
    }
    this.#value = value;
  }

  /** The plain value. Call it only where the value must leave the program (a child's env, a write). */
  reveal(): string {
    return this.#value;
  }

  /** Alias of {@link reveal} with the Python original's name (`get_secret_value`). */
  getSecretValue(): string {
    return this.#value;
  }

  /** Length in UTF-16 code units; reveals nothing but the size. */
  get length(): number {
    return this.#value.length;
  }

  /**
   * Constant-time comparison: hashing both sides first gives equal-length buffers, so the time
   * taken does not depend on where the values differ nor on their lengths.
   */
  equals(other: SecretStr | string): boolean {
    const theirs = typeof other === "string" ? other : other.#value;
    // node:crypto on use, not on import: the CLI's command tree imports this class, and loading
    // node:crypto costs ~19 M instructions (a fifth of a bare Node start) that --help need not pay.
    const { createHash, timingSafeEqual } = process.getBuiltinModule("node:crypto");
    const a = createHash("sha256").update(this.#value, "utf8").digest();
    const b = createHash("sha256").update(theirs, "utf8").digest();
    return timingSafeEqual(a, b);
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  valueOf(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [inspectSymbol](): string {
    return `SecretStr(${REDACTED})`;
  }
}

/** True when `value` is a {@link SecretStr}. */
export function isSecretStr(value: unknown): value is SecretStr {
  return value instanceof SecretStr;
}
