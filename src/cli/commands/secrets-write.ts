import type { Command } from "commander";
import type { OrbitraSecretsClient } from "../../client/secrets-client.js";
import { assertValidName } from "../../core/rules.js";
import type { SetSecretOptions } from "../../core/types.js";
import { addObjectCommand } from "../command-builder.js";
import type { CliContext } from "../context.js";
import { parseDate, parseTags } from "../flag-values.js";
import type { FlagSpec } from "../command-declaration.js";
import type { ObjectCommand, VaultOptions } from "../object-command.js";
import { propertiesToJson } from "../output.js";
import { readSecretValue } from "../read-value.js";
import { UsageError } from "../usage-error.js";
import { SECRETS } from "./secrets-kind.js";
import { confirmPurge, YES_FLAG } from "../confirm-purge.js";

interface AttributeOptions {
  contentType?: string;
  tag?: string[];
  tags?: string[];
  expires?: string;
  notBefore?: string;
}

function attributes(options: AttributeOptions): SetSecretOptions {
  const tags = parseTags(options.tag || options.tags ? [...(options.tag ?? []), ...(options.tags ?? [])] : undefined);
  const expiresOn = parseDate(options.expires, "--expires");
  const notBefore = parseDate(options.notBefore, "--not-before");
  return {
    ...(options.contentType !== undefined ? { contentType: options.contentType } : {}),
    ...(tags ? { tags } : {}),
    ...(expiresOn ? { expiresOn } : {}),
    ...(notBefore ? { notBefore } : {}),
  };
}

const ATTRIBUTE_FLAGS: readonly FlagSpec[] = [
  { flags: "--content-type <type>", description: "content type, e.g. text/plain or application/json" },
  { flags: "--tag <name=value>", description: "a tag (repeatable; --tags works too); replaces all tags", repeatable: true },
  { flags: "--tags <name=value>", description: "same as --tag", hidden: true, repeatable: true },
  { flags: "--expires <date>", description: "expiry date, ISO 8601 (informational for secrets, as in Key Vault)" },
  { flags: "--not-before <date>", description: "activation date, ISO 8601" },
];

type SetOptions = VaultOptions & AttributeOptions & { file?: string; value?: string; keepNewline?: boolean; disabled?: boolean };

const SET: ObjectCommand<OrbitraSecretsClient, SetOptions, SetSecretOptions> = {
  kind: SECRETS,
  command: "set",
  summary: "create a secret or add a new version",
  description:
    "Reads the value from --file (byte for byte), from standard input when it is piped (one trailing " +
    "newline removed unless --keep-newline), or from a hidden prompt on a terminal (asked twice). " +
    "Values must be UTF-8 text; empty piped input is refused. --value also works but leaves the " +
    "value in your shell history and the process list. Never prints the value.",
  named: true,
  flags: [
    { flags: "--file <path>", description: "read the value from this file, byte for byte" },
    { flags: "--value <value>", description: "the value itself (discouraged: visible in history and `ps`)" },
    { flags: "--keep-newline", description: "keep the trailing newline of piped input" },
    { flags: "--disabled", description: "create the version disabled" },
  ],
  flagsAfter: ATTRIBUTE_FLAGS,
  examples: [
    "orbitra secrets set db-password                      # prompts, no echo",
    "openssl rand -hex 32 | orbitra secrets set api-key",
    "orbitra secrets set tls-key --file key.pem --content-type application/pem",
    "orbitra secrets set db-password -e prod --tag owner=payments < password.txt",
  ],
  // The name and the attributes are checked before the value is asked for.
  prepare: ({ name, options }) => {
    assertValidName(name);
    return { ...attributes(options), ...(options.disabled ? { enabled: false } : {}) };
  },
  run: async (client, { name, options, ctx, prepared }) => {
    const value = await readSecretValue(
      {
        ...(options.value !== undefined ? { value: options.value } : {}),
        ...(options.file !== undefined ? { file: options.file } : {}),
        ...(options.keepNewline ? { keepNewline: true } : {}),
      },
      ctx,
    );
    const p = await client.writeSecret(name, value, prepared);
    return { json: propertiesToJson(p), text: `Set ${p.name} (version ${p.version}).\n` };
  },
};

type UpdateOptions = VaultOptions & AttributeOptions & { version?: string; enable?: boolean; disable?: boolean };

const UPDATE: ObjectCommand<OrbitraSecretsClient, UpdateOptions, SetSecretOptions> = {
  kind: SECRETS,
  command: "update",
  summary: "change a version's properties (enabled, dates, content type, tags)",
  named: true,
  flags: [
    { flags: "--version <version>", description: "the version to change (default: latest)" },
    { flags: "--enable", description: "enable the version" },
    { flags: "--disable", description: "disable the version (reads then fail with permission denied)" },
  ],
  flagsAfter: ATTRIBUTE_FLAGS,
  examples: ["orbitra secrets update db-password --disable", "orbitra secrets update db-password --tag owner=payments --expires 2027-06-30"],
  prepare: ({ options }) => {
    if (options.enable && options.disable) throw new UsageError("Give --enable or --disable, not both.");
    const update = {
      ...attributes(options),
      ...(options.enable ? { enabled: true } : {}),
      ...(options.disable ? { enabled: false } : {}),
    };
    // Load-bearing spreads: an attribute not given must not be a key here.
    if (Object.keys(update).length === 0) {
      throw new UsageError("Nothing to change: give --enable, --disable, --expires, --not-before, --content-type or --tag.");
    }
    return update;
  },
  run: async (client, { name, options, prepared }) => {
    const p = await client.updateSecretProperties(name, prepared, options.version ? { version: options.version } : {});
    return { json: propertiesToJson(p), text: `Updated ${p.name} (version ${p.version}).\n` };
  },
};

const DELETE: ObjectCommand<OrbitraSecretsClient> = {
  kind: SECRETS,
  command: "delete",
  summary: "soft-delete a secret (all versions); recoverable until purged",
  named: true,
  // Nothing is asked (a delete can be undone with recover); accepted so scripts written for
  // purge and copy, which do ask, need no special case.
  flags: [{ flags: "-y, --yes", description: "accepted for symmetry with purge; delete never asks" }],
  examples: ["orbitra secrets delete old-token"],
  run: async (client, { name }) => {
    const d = await client.deleteSecret(name);
    return {
      json: propertiesToJson(d),
      text: `Deleted ${d.name}; recoverable until ${d.scheduledPurgeDate.toISOString()} (orbitra secrets recover ${d.name}).\n`,
    };
  },
};

const RECOVER: ObjectCommand<OrbitraSecretsClient> = {
  kind: SECRETS,
  command: "recover",
  summary: "bring back a deleted secret with all its versions",
  named: true,
  examples: ["orbitra secrets recover old-token"],
  run: async (client, { name }) => {
    const p = await client.recoverDeletedSecret(name);
    return { json: propertiesToJson(p), text: `Recovered ${p.name}.\n` };
  },
};

const PURGE: ObjectCommand<OrbitraSecretsClient, VaultOptions & { yes?: boolean }> = {
  kind: SECRETS,
  command: "purge",
  summary: "remove a deleted secret for good (cannot be undone)",
  named: true,
  flags: [YES_FLAG],
  examples: ["orbitra secrets purge old-token --yes"],
  prepare: confirmPurge("This cannot be undone."),
  run: async (client, { name }) => {
    await client.purgeDeletedSecret(name);
    return { json: { name, purged: true }, text: `Purged ${name}.\n` };
  },
};

export function registerWriteCommands(secrets: Command, ctx: CliContext): void {
  addObjectCommand(secrets, SET, ctx);
  addObjectCommand(secrets, UPDATE, ctx);
  addObjectCommand(secrets, DELETE, ctx);
  addObjectCommand(secrets, RECOVER, ctx);
  addObjectCommand(secrets, PURGE, ctx);
}
