import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { registerCertsLifecycleCommands } from "./certs-lifecycle.js";
import { registerCertsReadCommands } from "./certs-read.js";
import { registerCertsWriteCommands } from "./certs-write.js";

export function registerCertsCommands(program: Command, ctx: CliContext): void {
  const certs = program
    .command("certs")
    .summary("create, import and download certificates in an environment's vault")
    .description(
      "Every command takes -e/--environment (default: ORBITRA_ENVIRONMENT, settings, or the built-in 'local') " +
        "and --key-vault (a vault name, an https:// URL, or local:PATH) to pick the vault. A certificate owns a key and " +
        "a secret of its name; 'download' writes its PEM, PFX or DER, private keys in 0600 files.",
    );
  registerCertsReadCommands(certs, ctx);
  registerCertsWriteCommands(certs, ctx);
  registerCertsLifecycleCommands(certs, ctx);
}
