import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { registerBackupCommands } from "./secrets-backup.js";
import { registerReadCommands } from "./secrets-read.js";
import { registerTransferCommands } from "./secrets-transfer.js";
import { registerWriteCommands } from "./secrets-write.js";

export function registerSecretsCommands(program: Command, ctx: CliContext): void {
  const secrets = program
    .command("secrets")
    .summary("read and manage the secrets of an environment's vault")
    .description(
      "Every command takes -e/--environment (default: ORBITRA_ENVIRONMENT, settings, or the built-in 'local') " +
        "and --key-vault (a vault name, an https:// URL, or local:PATH) to pick the vault.",
    );
  registerReadCommands(secrets, ctx);
  registerWriteCommands(secrets, ctx);
  registerBackupCommands(secrets, ctx);
  registerTransferCommands(secrets, ctx);
}
