import type { Command } from "commander";
import type { CliContext } from "./context.js";
import { collect } from "./flag-values.js";
import { flagsOf, VAULT_FLAGS, type FlagSpec } from "./command-declaration.js";
import { runObjectCommand, type Closable, type ObjectCommand, type VaultOptions } from "./object-command.js";

/**
 * Turns declarations (command-declaration.ts, object-command.ts) into commander commands. Only the full CLI loads this;
 * the `secrets get` fast path reads the same declaration without commander.
 */

/** Adds declared flags to a commander command, in order. */
export function addFlags(command: Command, flags: readonly FlagSpec[]): Command {
  for (const flag of flags) {
    // createOption, not `new Option`: no value import of commander here, so no second copy of it.
    const option = command.createOption(flag.flags, flag.description);
    if (flag.hidden) option.hideHelp();
    if (flag.repeatable) option.argParser(collect);
    if (flag.required) option.makeOptionMandatory();
    command.addOption(option);
  }
  return command;
}

/** Adds `-e/--environment`, `--key-vault`, `--json` and `--debug` (and the hidden `--env`). */
export function withVaultOptions(command: Command): Command {
  return addFlags(command, VAULT_FLAGS);
}

/** Adds a declared object command under `parent` (`orbitra secrets`); returns it. */
export function addObjectCommand<C extends Closable, O extends VaultOptions, P>(parent: Command, spec: ObjectCommand<C, O, P>, ctx: CliContext): Command {
  const command = parent.command(spec.command).summary(spec.summary);
  if (spec.description !== undefined) command.description(spec.description);
  if (spec.named !== undefined) command.argument("[name]", `${spec.kind.noun} name`);
  addFlags(command, flagsOf(spec));
  const examples = spec.examples.map((line) => `\n  ${line}`).join("");
  command.addHelpText("after", `\n${spec.examples.length === 1 ? "Example" : "Examples"}:${examples}`);
  // Commander passes the argument (when declared) before the options.
  return command.action((...args: unknown[]) =>
    spec.named === undefined
      ? runObjectCommand(spec, undefined, args[0] as O, ctx)
      : runObjectCommand(spec, args[0] as string | undefined, args[1] as O, ctx),
  );
}
