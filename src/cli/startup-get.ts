import { InternalError } from "../core/errors.js";
import { runGet } from "./commands/secrets-get.js";
import { processContext } from "./context.js";
import { EXIT } from "./exit-codes.js";
import { parseFastGet } from "./fast-path.js";
import { reportError } from "./report-error.js";

/**
 * Entry of dist/bin/orbitra-get.cjs: `secrets get` alone, for the start-up loader
 * (startup-loader.ts) to run when argv is one of its usual spellings. Compiling code costs
 * start-up time even when it never runs, and commander, the formats and the other commands are
 * most of the CLI's code; this bundle has none of them.
 */
const fast = parseFastGet(process.argv.slice(2));
if (!fast) throw new InternalError("orbitra-get.cjs runs only argv that the fast path accepts (see startup-loader.ts).");
const ctx = processContext();
runGet(fast.positional, fast.options, ctx).then(
  () => finish(EXIT.ok),
  (error: unknown) => finish(reportError(error, ctx, { debug: fast.options.debug === true, json: fast.options.json === true })),
);

/**
 * Exits at once when everything went out with synchronous writes: tearing down the heap, the
 * addon and the environment is a few ms a script calling `get` in a loop does not need. When a
 * write fell back to a stream (a full non-blocking pipe), the process ends naturally instead, so
 * that stream drains first.
 */
function finish(code: number): void {
  process.exitCode = code;
  if (ctx.stdout.buffered !== true && ctx.stderr.buffered !== true) process.exit(code);
}
