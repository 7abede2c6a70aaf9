import type { OrbitraSecretsClient } from "../../client/secrets-client.js";
import type { CliContext } from "../context.js";
import { runObjectCommand, type ObjectCommand, type VaultOptions } from "../object-command.js";
import { propertiesToJson } from "../output.js";
import { GET_DECLARATION } from "./secrets-get-declaration.js";
import { SECRETS } from "./secrets-kind.js";

export type GetOptions = VaultOptions & { version?: string };

/**
 * `secrets get`: the raw value on stdout, with a newline only on a terminal (so `$(...)` and
 * redirects get the value exactly). The one command that prints a value. Run by commander and by
 * the start-up fast path alike, so both behave the same; it must not import commander.
 */
export const GET: ObjectCommand<OrbitraSecretsClient, GetOptions> = {
  ...GET_DECLARATION,
  kind: SECRETS,
  run: async (client, { name, options, ctx }) => {
    const { properties, value } = await client.getSecretBundle(name, options.version ? { version: options.version } : {});
    return options.json
      ? { json: { ...propertiesToJson(properties), value: value === null ? null : value.reveal() } }
      : { text: (value?.reveal() ?? "") + (ctx.stdout.isTTY ? "\n" : "") };
  },
};

/** Runs `secrets get` on what the fast path (or commander) parsed. */
export function runGet(positional: string | undefined, options: GetOptions, ctx: CliContext): Promise<void> {
  return runObjectCommand(GET, positional, options, ctx);
}
