import type { Command } from "commander";
import type { OrbitraKeysClient } from "../../client/keys-client.js";
import { addObjectCommand } from "../command-builder.js";
import type { CliContext } from "../context.js";
import type { ObjectCommand, VaultOptions } from "../object-command.js";
import { readUserFile, writePrivateFile } from "../private-file.js";
import { KEYS } from "./keys-kind.js";
import { keyToJson } from "./keys-output.js";
import { confirmPurge, YES_FLAG } from "../confirm-purge.js";

const DELETE: ObjectCommand<OrbitraKeysClient> = {
  kind: KEYS,
  command: "delete",
  summary: "soft-delete a key (all versions); recoverable until purged",
  named: true,
  flags: [{ flags: "-y, --yes", description: "accepted for symmetry with purge; delete never asks" }],
  examples: ["orbitra keys delete old-signing"],
  run: async (client, { name }) => {
    const d = await client.deleteKey(name);
    return { json: keyToJson(d), text: `Deleted ${name}; recoverable until ${d.scheduledPurgeDate.toISOString()} (orbitra keys recover ${name}).\n` };
  },
};

const RECOVER: ObjectCommand<OrbitraKeysClient> = {
  kind: KEYS,
  command: "recover",
  summary: "bring back a deleted key with all its versions",
  named: true,
  examples: ["orbitra keys recover old-signing"],
  run: async (client, { name }) => {
    const key = await client.recoverDeletedKey(name);
    return { json: keyToJson(key), text: `Recovered ${key.properties.name}.\n` };
  },
};

const PURGE: ObjectCommand<OrbitraKeysClient, VaultOptions & { yes?: boolean }> = {
  kind: KEYS,
  command: "purge",
  summary: "remove a deleted key for good: what it encrypted cannot be decrypted again",
  named: true,
  flags: [YES_FLAG],
  examples: ["orbitra keys purge old-signing --yes"],
  prepare: confirmPurge("Data it encrypted or wrapped can never be decrypted again."),
  run: async (client, { name }) => {
    await client.purgeDeletedKey(name);
    return { json: { name, purged: true }, text: `Purged ${name}.\n` };
  },
};

const BACKUP: ObjectCommand<OrbitraKeysClient, VaultOptions & { output: string; force?: boolean }> = {
  kind: KEYS,
  command: "backup",
  summary: "write an opaque backup of a key (all versions) to a file",
  named: true,
  flags: [
    { flags: "-o, --output <file>", description: "where to write the backup (created 0600)", required: true },
    { flags: "--force", description: "overwrite the file if it exists" },
  ],
  examples: ["orbitra keys backup signing -o signing.backup"],
  run: async (client, { name, options }) => {
    const blob = await client.backupKey(name);
    writePrivateFile(options.output, blob, Boolean(options.force));
    return { json: { name, file: options.output, bytes: blob.byteLength }, text: `Backed up ${name} to ${options.output}.\n` };
  },
};

const RESTORE: ObjectCommand<OrbitraKeysClient, VaultOptions & { file: string }, Uint8Array> = {
  kind: KEYS,
  command: "restore",
  summary: "restore a key from a backup file (the name must be free)",
  flags: [{ flags: "--file <file>", description: "a file written by `orbitra keys backup`", required: true }],
  examples: ["orbitra keys restore --file signing.backup -e staging"],
  prepare: ({ options }) => readUserFile(options.file),
  run: async (client, { prepared }) => {
    const key = await client.restoreKeyBackup(prepared);
    return { json: keyToJson(key), text: `Restored ${key.properties.name}.\n` };
  },
};

export function registerKeysLifecycleCommands(keys: Command, ctx: CliContext): void {
  for (const spec of [DELETE, RECOVER, PURGE, BACKUP, RESTORE] as ObjectCommand<OrbitraKeysClient, VaultOptions, unknown>[]) addObjectCommand(keys, spec, ctx);
}
