import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import type { CliContext } from "./context.js";
import { EXIT } from "./exit-codes.js";
import { reportError } from "./report-error.js";
import { registerSecretsCommands } from "./commands/secrets.js";
import { registerVaultCommands } from "./commands/vault.js";

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

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
    })
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      "\nExit codes: 0 ok, 1 other error, 2 usage, 3 not found, 4 permission denied, 5 configuration,\n" +
        "6 conflict, 7 throttled or unavailable.\n\nExamples:\n" +
        "  openssl rand -hex 16 | orbitra secrets set demo-password -e local\n" +
        "  orbitra secrets get demo-password -e local\n" +
        "  orbitra secrets list -e prod --json",
    );
  program.version(packageVersion(), "-V, --version");
  registerSecretsCommands(program, ctx);
  registerVaultCommands(program, ctx);
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit status; never exits the process. */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const program = buildProgram(ctx);
  const debug = argv.includes("--debug");
  const json = argv.includes("--json");
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with exit code 0; every other commander error is a usage mistake.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(error, ctx, { debug, json });
  }
}
