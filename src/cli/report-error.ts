import { isOrbitraError } from "../core/errors.js";
import type { CliContext } from "./context.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { UsageError } from "./usage-error.js";

export interface ReportOptions {
  debug: boolean;
  json: boolean;
}

/**
 * One line on stderr that says what happened and what to do, and the exit status for its kind.
 * The stack (and the cause chain) only with --debug: a user error is not a crash.
 *
 * --debug prints stacks, messages and our context fields, never `util.inspect` of the objects: a
 * cause may be an SDK RestError whose request carries the body of a `setSecret`, i.e. the value.
 */
export function reportError(error: unknown, ctx: CliContext, options: ReportOptions): number {
  const { code, message, status } = describe(error);
  if (options.json) {
    ctx.stderr.write(JSON.stringify({ error: { code, message } }) + "\n");
  } else {
    ctx.stderr.write(`orbitra: ${oneLine(message)}\n`);
  }
  if (options.debug) ctx.stderr.write(debugText(error));
  return status;
}

function describe(error: unknown): { code: string; message: string; status: number } {
  if (isOrbitraError(error)) return { code: error.code, message: error.message, status: exitCodeFor(error.code) };
  if (error instanceof UsageError) return { code: "Usage", message: error.message, status: EXIT.usage };
  const message = error instanceof Error ? error.message : String(error);
  return { code: "Internal", message: `${message} (run again with --debug for details)`, status: EXIT.failure };
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}

/** Each error in the cause chain: its stack (or message), and the context fields that say where. */
export function debugText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 6; depth++) {
    if (!(current instanceof Error)) {
      parts.push(`${depth ? "Caused by: " : ""}${typeof current === "string" ? current : Object.prototype.toString.call(current)}`);
      break;
    }
    const fields: Record<string, unknown> = {};
    for (const key of ["code", "statusCode", "serviceCode", "secretName", "vault"]) {
      const value = (current as unknown as Record<string, unknown>)[key];
      if (typeof value === "string" || typeof value === "number") fields[key] = value;
    }
    const context = Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : "";
    parts.push(`${depth ? "Caused by: " : ""}${current.stack ?? `${current.name}: ${current.message}`}${context}`);
    current = current.cause;
  }
  return parts.join("\n") + "\n";
}
