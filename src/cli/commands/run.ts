import type { ChildProcess } from "node:child_process";
import { constants } from "node:os";
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { ExitRequest } from "../exit-request.js";
import { withVaultOptions } from "../command-builder.js";
import { collect } from "../flag-values.js";
import { withClient, type VaultOptions } from "../object-command.js";
import { UsageError } from "../usage-error.js";
import { SECRETS } from "./secrets-kind.js";

interface RunOptions extends VaultOptions {
  envFile?: string[];
  all?: boolean;
  prefix?: string;
  override?: boolean;
}

const FORWARDED: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"];

export function registerRunCommand(program: Command, ctx: CliContext): void {
  withVaultOptions(
    program
      .command("run")
      .summary("run a program with secrets in its environment")
      .description(
        "Resolves secret references (orbitra://NAME[/VERSION][?environment=E], @Microsoft.KeyVault(...)) " +
          "found in --env-file files and in the current environment, optionally adds every secret of the " +
          "environment (--all, `db-password` as DB_PASSWORD), and starts the program with them in its " +
          "environment only: never in its arguments, never in a file. Existing variables win unless " +
          "--override. Signals are forwarded; orbitra exits with the program's exit code.",
      )
      .argument("<command>", "the program to run")
      .argument("[args...]", "its arguments")
      .option("--env-file <file>", "a .env file whose entries (and references) to pass on, repeatable", collect)
      .option("--all", "also pass every secret of the environment, as NAME_IN_CAPITALS")
      .option("--prefix <prefix>", "with --all: put this before every variable name (e.g. APP_)")
      .option("--override", "values from files and secrets replace variables already set")
      .passThroughOptions(),
  )
    .addHelpText(
      "after",
      "\nExamples:\n  echo 'DB_PASSWORD=orbitra://db-password' > .env\n  orbitra run --env-file .env -- node app.js\n" +
        "  orbitra run -e prod --all --prefix APP_ -- ./server\n  DB_PASSWORD=orbitra://db-password orbitra run -- psql",
    )
    .action(async (command: string, args: string[], options: RunOptions) => {
      if (options.prefix !== undefined && !options.all) throw new UsageError("--prefix goes with --all.");
      // The reference resolver and bulk reads load with the client, not with the command tree.
      const { buildChildEnv } = await import("../child-env.js");
      const childEnv = await withClient(SECRETS.open, options, ctx, (client) =>
        buildChildEnv({
          environment: client.target.environment,
          envFiles: options.envFile ?? [],
          all: Boolean(options.all),
          ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
          override: Boolean(options.override),
          cwd: ctx.cwd,
          env: ctx.env,
          client: () => client,
        }),
      );
      throw new ExitRequest(await runChild(command, args, childEnv, ctx));
    });
}

/** Starts the program with inherited stdio, forwards signals, resolves to its exit status (128+n for a signal). */
export function runChild(command: string, args: string[], env: Record<string, string>, ctx: CliContext): Promise<number> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      // node:child_process on use (it loads node:net and the streams, ~20 M instructions): the
      // command tree holding this file is built by every command.
      child = process.getBuiltinModule("node:child_process").spawn(command, args, { env, stdio: "inherit", cwd: ctx.cwd });
    } catch (error) {
      // Node's synchronous refusals (ERR_INVALID_ARG_*) quote the offending argument or variable,
      // which may be a secret's value: the code says enough.
      ctx.stderr.write(`orbitra: cannot start ${command}: ${(error as NodeJS.ErrnoException).code ?? "invalid arguments"}\n`);
      return resolve(126);
    }
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of FORWARDED) process.on(signal, forward);
    const done = (code: number) => {
      for (const signal of FORWARDED) process.off(signal, forward);
      resolve(code);
    };
    child.on("error", (error: NodeJS.ErrnoException) => {
      ctx.stderr.write(
        error.code === "ENOENT"
          ? `orbitra: command not found: ${command}\n`
          : `orbitra: cannot start ${command}: ${error.message}\n`,
      );
      done(error.code === "ENOENT" ? 127 : 126);
    });
    child.on("exit", (code, signal) => {
      done(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}
