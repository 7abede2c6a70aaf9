import type { Command } from "commander";
import { isOrbitraError } from "../../core/errors.js";
import { loadSettings } from "../../settings/load.js";
import { availableEnvironments, resolveDefaultEnvironment, resolveVaultTarget } from "../../settings/resolve.js";
import { describeTarget } from "../../settings/vault-target.js";
import type { CliContext } from "../context.js";
import { environmentsToText, toJsonLine, type EnvironmentRow } from "../output.js";

/** `orbitra env list`: the environments the settings know, which one is the default, and each one's vault. */
export function registerEnvCommands(program: Command, ctx: CliContext): void {
  const env = program.command("env").summary("environments and the vault each one uses");
  env
    .command("list")
    .summary("list environments, marking the default (the one used without -e)")
    .option("--json", "machine-readable output on stdout")
    .option("--debug", "print stack traces and causes of errors")
    .addHelpText("after", "\nExamples:\n  orbitra env list\n  ORBITRA_ENVIRONMENT=staging orbitra env list --json")
    .action((options: { json?: boolean }) => {
      const load = { cwd: ctx.cwd, env: ctx.env };
      const settings = loadSettings(load);
      const byDefault = resolveDefaultEnvironment(load, settings);
      // The default is listed even when nothing configures it, so that `ORBITRA_ENVIRONMENT=typo` shows up.
      const names = [...new Set([...availableEnvironments(settings), byDefault])].sort();
      const rows: EnvironmentRow[] = names.map((name) => {
        try {
          const vault = describeTarget(resolveVaultTarget({ ...load, environment: name, settings }));
          return { name, default: name === byDefault, vault };
        } catch (error) {
          // A half-configured environment is still listed; why it cannot be used is the point.
          if (!isOrbitraError(error)) throw error;
          return { name, default: name === byDefault, problem: error.message };
        }
      });
      ctx.stdout.write(options.json ? toJsonLine(rows) : environmentsToText(rows));
    });
}
