import type { Command } from "commander";
import { join } from "node:path";
import { formatShell } from "../../formats/shell.js";
import { orbitraHome } from "../../settings/paths.js";
import type { CliContext } from "../context.js";
import { ExitRequest } from "../exit-request.js";
import { readProxyState } from "../proxy-state.js";
import { runChild } from "./run.js";

interface EnvOptions {
  data?: string;
  json?: boolean;
}

// The server's proxy code (and the identity and token code under it) loads when a command runs, not with the command tree.
const proxyEnv = () => import("../../server/proxy/proxy-env.js");

const DATA_HELP = "the server's data folder (default: $ORBITRA_HOME/server)";

/** `orbitra vault env` and `orbitra vault exec`: the environment a running `vault serve --proxy` printed, for a shell or a program. */
export function registerVaultEnvCommands(vault: Command, ctx: CliContext): void {
  const dataDir = (options: EnvOptions) => options.data ?? join(orbitraHome(ctx.env), "server");
  vault
    .command("env")
    .summary("print the environment that sends Azure SDKs and az to the running 'vault serve --proxy'")
    .description(
      "Prints HTTPS_PROXY, NO_PROXY and the CA variables of the running 'orbitra vault serve --proxy' (and, in open mode, AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET of a throwaway principal) as shell exports, and unsets the lowercase proxy variables that would shadow them.",
    )
    .addHelpText(
      "after",
      '\nExamples:\n  eval "$(orbitra vault env)"\n  node app.js   # new SecretClient("https://default.vault.azure.net", ...)',
    )
    .option("--data <dir>", DATA_HELP)
    .option("--json", "print the variables as one JSON object")
    .action(async (options: EnvOptions) => {
      const { env } = readProxyState(dataDir(options));
      const { SHADOWING_PROXY_VARIABLES } = await proxyEnv();
      if (options.json) {
        ctx.stdout.write(JSON.stringify(env) + "\n");
        return;
      }
      ctx.stdout.write(`unset ${SHADOWING_PROXY_VARIABLES.join(" ")}\n${formatShell(Object.entries(env))}`);
    });
  vault
    .command("exec")
    .summary("run a program with the running 'vault serve --proxy' as its Azure")
    .description(
      "Runs the program with the environment 'orbitra vault env' prints, added to the current one (lowercase proxy variables removed). Exits with the program's exit code.",
    )
    .argument("<command>", "the program to run")
    .argument("[args...]", "its arguments")
    .option("--data <dir>", DATA_HELP)
    .passThroughOptions()
    .addHelpText("after", "\nExamples:\n  orbitra vault exec -- python3 app.py\n  orbitra vault exec -- az account get-access-token \\\n      --resource https://vault.azure.net")
    .action(async (command: string, args: string[], options: EnvOptions) => {
      const { env } = readProxyState(dataDir(options));
      const { SHADOWING_PROXY_VARIABLES } = await proxyEnv();
      const childEnv: Record<string, string> = {};
      for (const [name, value] of Object.entries(ctx.env)) {
        if (value !== undefined && !(SHADOWING_PROXY_VARIABLES as readonly string[]).includes(name)) childEnv[name] = value;
      }
      throw new ExitRequest(await runChild(command, args, { ...childEnv, ...env }, ctx));
    });
}
