import { isOrbitraError, OrbitraError, type ErrorCode } from "../core/errors.js";

/** One item of a bulk operation that failed: which secret, and why (never its value). */
export interface BulkFailure {
  name: string;
  code: ErrorCode;
  message: string;
}

const LISTED = 20;

/**
 * A bulk read or write in which some items failed. `failures` lists every one (input order);
 * `code` is the first failure's code, so the CLI's exit status follows it. Carries no values.
 */
export class BulkOperationError extends OrbitraError {
  readonly failures: readonly BulkFailure[];
  /** How many items there were in all. */
  readonly total: number;

  constructor(what: string, failures: readonly BulkFailure[], total: number) {
    const listed = failures
      .slice(0, LISTED)
      .map((f) => `${f.name} (${f.code})`)
      .join(", ");
    const more = failures.length > LISTED ? ` and ${failures.length - LISTED} more` : "";
    super(failures[0]?.code ?? "Internal", `Could not ${what} ${failures.length} of ${total} secrets: ${listed}${more}.`);
    this.failures = failures;
    this.total = total;
  }
}

export function isBulkOperationError(error: unknown): error is BulkOperationError {
  return error instanceof BulkOperationError;
}

/** A failure entry from whatever was thrown. */
export function toFailure(name: string, error: unknown): BulkFailure {
  if (isOrbitraError(error)) return { name, code: error.code, message: error.message };
  return { name, code: "Internal", message: error instanceof Error ? error.message : String(error) };
}
