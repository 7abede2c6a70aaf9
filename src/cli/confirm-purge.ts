import type { FlagSpec } from "./command-declaration.js";
import type { CliContext } from "./context.js";
import { confirm } from "./read-value.js";
import { UsageError } from "./usage-error.js";

/** `-y, --yes`: what every `purge` takes to skip its question. */
export const YES_FLAG: FlagSpec = { flags: "-y, --yes", description: "do not ask for confirmation" };

/**
 * A purge's `prepare`: asks `question` on a terminal unless --yes, and refuses off a terminal
 * without it, before the vault is opened. What is lost differs by kind, so the question is theirs.
 */
export function confirmPurge(question: string) {
  return async ({ name, options, ctx }: { name: string; options: { yes?: boolean }; ctx: CliContext }): Promise<undefined> => {
    if (options.yes) return undefined;
    if (!ctx.stdin.isTTY) throw new UsageError(`Purging ${name} cannot be undone; pass --yes to confirm when not on a terminal.`);
    if (!(await confirm(`Purge ${name} for good? ${question}`, ctx))) throw new UsageError("Not confirmed; nothing was purged.");
    return undefined;
  };
}
