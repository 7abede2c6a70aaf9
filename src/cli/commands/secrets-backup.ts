import type { Command } from "commander";
import type { OrbitraSecretsClient } from "../../client/secrets-client.js";
import { addObjectCommand } from "../command-builder.js";
import type { CliContext } from "../context.js";
import type { ObjectCommand, VaultOptions } from "../object-command.js";
import { propertiesToJson } from "../output.js";
import { readUserFile, writePrivateFile } from "../private-file.js";
import { SECRETS } from "./secrets-kind.js";

const BACKUP: ObjectCommand<OrbitraSecretsClient, VaultOptions & { output: string; force?: boolean }> = {
  kind: SECRETS,
  command: "backup",
  summary: "write an opaque backup of a secret (all versions) to a file",
  named: true,
  flags: [
    { flags: "-o, --output <file>", description: "where to write the backup (created 0600)", required: true },
    { flags: "--force", description: "overwrite the file if it exists" },
  ],
  examples: ["orbitra secrets backup db-password -o db-password.backup"],
  run: async (client, { name, options }) => {
    const blob = await client.backupSecret(name);
    writePrivateFile(options.output, blob, Boolean(options.force));
    return { json: { name, file: options.output, bytes: blob.byteLength }, text: `Backed up ${name} to ${options.output}.\n` };
  },
};

const RESTORE: ObjectCommand<OrbitraSecretsClient, VaultOptions & { file: string }, Uint8Array> = {
  kind: SECRETS,
  command: "restore",
  summary: "restore a secret from a backup file (the name must be free)",
  flags: [{ flags: "--file <file>", description: "a file written by `orbitra secrets backup`", required: true }],
  examples: ["orbitra secrets restore --file db-password.backup -e staging"],
  prepare: ({ options }) => readUserFile(options.file),
  run: async (client, { prepared }) => {
    const p = await client.restoreSecretBackup(prepared);
    return { json: propertiesToJson(p), text: `Restored ${p.name}.\n` };
  },
};

export function registerBackupCommands(secrets: Command, ctx: CliContext): void {
  addObjectCommand(secrets, BACKUP, ctx);
  addObjectCommand(secrets, RESTORE, ctx);
}
