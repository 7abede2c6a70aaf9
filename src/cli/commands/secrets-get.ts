import type { CliContext } from "../context.js";
import { propertiesToJson } from "../output.js";
import { nameOf, withClient, writeResult, type VaultOptions } from "../secret-command.js";

export type GetOptions = VaultOptions & { version?: string };

/**
 * `secrets get`: the raw value on stdout, with a newline only on a terminal (so `$(...)` and
 * redirects get the value exactly). The one command that prints a value. Shared by the commander
 * action and the start-up fast path (fast-path.ts), so both behave the same; it must not import
 * commander.
 */
export async function runGet(positional: string | undefined, options: GetOptions, ctx: CliContext): Promise<void> {
  const name = nameOf(positional, options);
  await withClient(options, ctx, async (client) => {
    const { properties, value } = await client.getSecretBundle(name, options.version ? { version: options.version } : {});
    if (options.json) {
      writeResult(ctx, options, { ...propertiesToJson(properties), value: value === null ? null : value.reveal() }, "");
    } else {
      ctx.stdout.write((value?.reveal() ?? "") + (ctx.stdout.isTTY ? "\n" : ""));
    }
  });
}
