import { Command, CommanderError } from "commander";
import type { CliContext } from "./context.js";
import { EXIT } from "./exit-codes.js";
import { packageVersion } from "./package-version.js";
import { UsageError } from "./usage-error.js";
import { registerEnvCommands } from "./commands/env.js";
import { registerSecretsCommands } from "./commands/secrets.js";
import { registerCertsCommands } from "./commands/certs.js";
import { registerKeysCommands } from "./commands/keys.js";
import { registerRunCommand } from "./commands/run.js";
import { registerVaultCommands } from "./commands/vault.js";
import { registerAccountCommands } from "./commands/account.js";
import { registerLoginCommands } from "./commands/login.js";

/** The whole command tree, writing through `ctx` and throwing instead of exiting. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command("orbitra")
    .description("Secrets on Azure Key Vault, or on the embedded local vault, from the command line.")
    .option("--debug", "print stack traces and causes of errors")
    // Root options only before the command: `secrets get --version V` must reach `get`, not print
    // orbitra's version. Commands take --debug themselves.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
      // Commander wraps descriptions to this width; texts are written as paragraphs for it (and
      // the hand-laid examples fit 80), see test/cli/help-pages.test.ts.
      getOutHelpWidth: () => helpWidth(ctx.stdout),
      getErrHelpWidth: () => helpWidth(ctx.stderr),
      // Usage errors are printed by runProgram, as one line like every other error (or JSON).
      outputError: () => {},
    })
    .addHelpText(
      "after",
      "\nExit codes: 0 ok, 1 other error, 2 usage, 3 not found, 4 permission denied,\n" +
        "5 configuration, 6 conflict, 7 throttled or unavailable, 130 interrupted.\n\nExamples:\n" +
        "  openssl rand -hex 16 | orbitra secrets set demo-password -e local\n" +
        "  orbitra secrets get demo-password -e local\n" +
        "  orbitra secrets list -e prod --json",
    );
  program.version(packageVersion(), "-V, --version");
  registerSecretsCommands(program, ctx);
  registerKeysCommands(program, ctx);
  registerCertsCommands(program, ctx);
  registerEnvCommands(program, ctx);
  registerRunCommand(program, ctx);
  registerVaultCommands(program, ctx);
  registerLoginCommands(program, ctx);
  registerAccountCommands(program, ctx);
  describeFromSummaries(program);
  return program;
}

function helpWidth(stream: CliContext["stdout"]): number {
  const columns = (stream as { isTTY?: boolean; columns?: number }).isTTY ? (stream as { columns?: number }).columns : undefined;
  return columns && columns > 0 ? columns : 80;
}

/** A command's own --help shows its description only; where just a summary was given, it says that. */
function describeFromSummaries(command: Command): void {
  for (const sub of command.commands) {
    if (!sub.description() && sub.summary()) sub.description(sub.summary().charAt(0).toUpperCase() + sub.summary().slice(1) + ".");
    describeFromSummaries(sub);
  }
}

/** Parses `argv` with commander and runs the command; commander's own errors become usage errors (exit 2). */
export async function runProgram(argv: string[], ctx: CliContext): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Help and version end with exit code 0. `orbitra` or `orbitra secrets` alone print the help to
    // stderr (code commander.help, exit 1): a usage mistake, but the help already said it all.
    if (error.exitCode === 0) return EXIT.ok;
    if (error.code === "commander.help") return EXIT.usage;
    const what = error.message.replace(/^error:\s*/, "").replace(/\s*\n\s*/g, " ").replace(/[.\s]+$/, "");
    throw new UsageError(`${what}. Run '${commandPath(program, argv).join(" ")} --help' for usage.`);
  }
}

/** The command that argv names (`orbitra secrets get`), for the "run --help" hint. */
function commandPath(program: Command, argv: string[]): string[] {
  const path = [program.name()];
  let command = program;
  for (const arg of argv) {
    if (arg.startsWith("-")) continue;
    const sub = command.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (!sub) break;
    path.push(sub.name());
    command = sub;
  }
  return path;
}
