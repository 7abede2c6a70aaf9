import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { propertiesToJson } from "../output.js";
import { nameOf, withClient, withVaultOptions, writeResult, type VaultOptions } from "../secret-command.js";
import { readUserFile, writePrivateFile } from "../private-file.js";

export function registerBackupCommands(secrets: Command, ctx: CliContext): void {
  withVaultOptions(
    secrets
      .command("backup")
      .summary("write an opaque backup of a secret (all versions) to a file")
      .argument("[name]", "secret name")
      .option("--name <name>", "secret name")
      .requiredOption("-o, --output <file>", "where to write the backup (created 0600)")
      .option("--force", "overwrite the file if it exists"),
  )
    .addHelpText("after", "\nExample:\n  orbitra secrets backup db-password -o db-password.backup")
    .action(async (positional: string | undefined, options: VaultOptions & { output: string; force?: boolean }) => {
      const name = nameOf(positional, options);
      await withClient(options, ctx, async (client) => {
        const blob = await client.backupSecret(name);
        writePrivateFile(options.output, blob, Boolean(options.force));
        writeResult(ctx, options, { name, file: options.output, bytes: blob.byteLength }, `Backed up ${name} to ${options.output}.\n`);
      });
    });

  withVaultOptions(
    secrets
      .command("restore")
      .summary("restore a secret from a backup file (the name must be free)")
      .requiredOption("--file <file>", "a file written by `orbitra secrets backup`"),
  )
    .addHelpText("after", "\nExample:\n  orbitra secrets restore --file db-password.backup -e staging")
    .action(async (options: VaultOptions & { file: string }) => {
      const blob = readUserFile(options.file);
      await withClient(options, ctx, async (client) => {
        const p = await client.restoreSecretBackup(blob);
        writeResult(ctx, options, propertiesToJson(p), `Restored ${p.name}.\n`);
      });
    });
}

