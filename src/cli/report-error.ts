import { inspect } from "node:util";
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
 */
export function reportError(error: unknown, ctx: CliContext, options: ReportOptions): number {
  const { code, message, status } = describe(error);
  if (options.json) {
    ctx.stderr.write(JSON.stringify({ error: { code, message } }) + "\n");
  } else {
    ctx.stderr.write(`orbitra: ${oneLine(message)}\n`);
  }
  if (options.debug) ctx.stderr.write(inspect(error, { depth: 6 }) + "\n");
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
