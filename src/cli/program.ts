import type { CliContext } from "./context.js";
import { EXIT } from "./exit-codes.js";
import { ExitRequest } from "./exit-request.js";
import { parseFastGet } from "./fast-path.js";
import { reportError } from "./report-error.js";

export interface RunOptions {
  /** Set false to send every argv through commander (tests compare the two paths). Default true. */
  fastPath?: boolean;
}

/**
 * Runs the CLI on `argv` (without node and script) and returns the exit status; never exits the
 * process. `secrets get` in its usual spellings runs without loading commander (see fast-path.ts);
 * everything else loads the command tree on demand.
 */
export async function runCli(argv: string[], ctx: CliContext, options: RunOptions = {}): Promise<number> {
  // Flags after `--` belong to someone else (`orbitra run -- cmd --json`).
  const end = argv.indexOf("--");
  const own = end < 0 ? argv : argv.slice(0, end);
  const debug = own.includes("--debug");
  const json = own.includes("--json");
  try {
    const fast = options.fastPath === false ? undefined : parseFastGet(argv);
    if (fast) {
      // Imported here, not at the top: the whole CLI's bundle starts with this file, and the get
      // command's imports are not what its other commands should load first.
      const { runGet } = await import("./commands/secrets-get.js");
      await runGet(fast.positional, fast.options, ctx);
      return EXIT.ok;
    }
    const { runProgram } = await import("./build-program.js");
    return await runProgram(argv, ctx);
  } catch (error) {
    // A command that ends with a status of its own (`orbitra run` returns its child's): no message.
    if (error instanceof ExitRequest) {
      if (error.note) ctx.stderr.write(`orbitra: ${error.note}\n`);
      return error.code;
    }
    return reportError(error, ctx, { debug, json });
  }
}
