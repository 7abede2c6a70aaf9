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
if (!fast) throw new Error("orbitra-get.cjs runs only argv that the fast path accepts (see startup-loader.ts).");
const ctx = processContext();
runGet(fast.positional, fast.options, ctx).then(
  () => {
    process.exitCode = EXIT.ok;
  },
  (error: unknown) => {
    process.exitCode = reportError(error, ctx, { debug: fast.options.debug === true, json: fast.options.json === true });
  },
);
