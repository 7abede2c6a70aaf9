import type { Command } from "commander";
import { assertValidName } from "../../core/rules.js";
import type { SetSecretOptions } from "../../core/types.js";
import type { CliContext } from "../context.js";
import { propertiesToJson } from "../output.js";
import { confirm, readSecretValue } from "../read-value.js";
import { collect, nameOf, parseDate, parseTags, withClient, withVaultOptions, writeResult, type VaultOptions } from "../secret-command.js";
import { UsageError } from "../usage-error.js";

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

function withAttributeOptions(command: Command): Command {
  return command
    .option("--content-type <type>", "content type, e.g. text/plain or application/json")
    .option("--tag <name=value>", "a tag (repeatable; --tags works too); replaces all tags", collect)
    .addOption(command.createOption("--tags <name=value>", "same as --tag").hideHelp().argParser(collect))
    .option("--expires <date>", "expiry date, ISO 8601 (informational for secrets, as in Key Vault)")
    .option("--not-before <date>", "activation date, ISO 8601");
}

export function registerWriteCommands(secrets: Command, ctx: CliContext): void {
  withAttributeOptions(
    withVaultOptions(
      secrets
        .command("set")
        .summary("create a secret or add a new version")
        .description(
          "Reads the value from --file (byte for byte), from standard input when it is piped (one trailing " +
            "newline removed unless --keep-newline), or from a hidden prompt on a terminal (asked twice). " +
            "Values must be UTF-8 text; empty piped input is refused. --value also works but leaves the " +
            "value in your shell history and the process list. Never prints the value.",
        )
        .argument("[name]", "secret name")
        .option("--name <name>", "secret name")
        .option("--file <path>", "read the value from this file, byte for byte")
        .option("--value <value>", "the value itself (discouraged: visible in history and `ps`)")
        .option("--keep-newline", "keep the trailing newline of piped input")
        .option("--disabled", "create the version disabled"),
    ),
  )
    .addHelpText(
      "after",
      "\nExamples:\n  orbitra secrets set db-password                      # prompts, no echo\n" +
        "  openssl rand -hex 32 | orbitra secrets set api-key\n" +
        "  orbitra secrets set tls-key --file key.pem --content-type application/pem\n" +
        "  orbitra secrets set db-password -e prod --tag owner=payments < password.txt",
    )
    .action(async (positional: string | undefined, options: VaultOptions & AttributeOptions & {
      file?: string; value?: string; keepNewline?: boolean; disabled?: boolean;
    }) => {
      // Everything that can be refused without the value is checked before asking for it: nobody
      // should type a secret twice to learn that the name or the environment was wrong.
      const name = nameOf(positional, options);
      assertValidName(name);
      const attrs = { ...attributes(options), ...(options.disabled ? { enabled: false } : {}) };
      await withClient(options, ctx, async (client) => {
        const value = await readSecretValue(
          {
            ...(options.value !== undefined ? { value: options.value } : {}),
            ...(options.file !== undefined ? { file: options.file } : {}),
            ...(options.keepNewline ? { keepNewline: true } : {}),
          },
          ctx,
        );
        const p = await client.writeSecret(name, value, attrs);
        writeResult(ctx, options, propertiesToJson(p), `Set ${p.name} (version ${p.version}).\n`);
      });
    });

  withAttributeOptions(
    withVaultOptions(
      secrets
        .command("update")
        .summary("change a version's properties (enabled, dates, content type, tags)")
        .argument("[name]", "secret name")
        .option("--name <name>", "secret name")
        .option("--version <version>", "the version to change (default: latest)")
        .option("--enable", "enable the version")
        .option("--disable", "disable the version (reads then fail with permission denied)"),
    ),
  )
    .addHelpText("after", "\nExamples:\n  orbitra secrets update db-password --disable\n  orbitra secrets update db-password --tag owner=payments --expires 2027-06-30")
    .action(async (positional: string | undefined, options: VaultOptions & AttributeOptions & {
      version?: string; enable?: boolean; disable?: boolean;
    }) => {
      const name = nameOf(positional, options);
      if (options.enable && options.disable) throw new UsageError("Give --enable or --disable, not both.");
      const update = {
        ...attributes(options),
        ...(options.enable ? { enabled: true } : {}),
        ...(options.disable ? { enabled: false } : {}),
      };
      if (Object.keys(update).length === 0) {
        throw new UsageError("Nothing to change: give --enable, --disable, --expires, --not-before, --content-type or --tag.");
      }
      await withClient(options, ctx, async (client) => {
        const p = await client.updateSecretProperties(name, update, options.version ? { version: options.version } : {});
        writeResult(ctx, options, propertiesToJson(p), `Updated ${p.name} (version ${p.version}).\n`);
      });
    });

  withVaultOptions(
    secrets
      .command("delete")
      .summary("soft-delete a secret (all versions); recoverable until purged")
      .argument("[name]", "secret name")
      .option("--name <name>", "secret name")
      // Nothing is asked (a delete can be undone with recover); accepted so scripts written for
      // purge and copy, which do ask, need no special case.
      .option("-y, --yes", "accepted for symmetry with purge; delete never asks"),
  )
    .addHelpText("after", "\nExample:\n  orbitra secrets delete old-token")
    .action(async (positional: string | undefined, options: VaultOptions) => {
      const name = nameOf(positional, options);
      await withClient(options, ctx, async (client) => {
        const d = await client.deleteSecret(name);
        writeResult(
          ctx,
          options,
          propertiesToJson(d),
          `Deleted ${d.name}; recoverable until ${d.scheduledPurgeDate.toISOString()} (orbitra secrets recover ${d.name}).\n`,
        );
      });
    });

  withVaultOptions(
    secrets
      .command("recover")
      .summary("bring back a deleted secret with all its versions")
      .argument("[name]", "secret name")
      .option("--name <name>", "secret name"),
  )
    .addHelpText("after", "\nExample:\n  orbitra secrets recover old-token")
    .action(async (positional: string | undefined, options: VaultOptions) => {
      const name = nameOf(positional, options);
      await withClient(options, ctx, async (client) => {
        const p = await client.recoverDeletedSecret(name);
        writeResult(ctx, options, propertiesToJson(p), `Recovered ${p.name}.\n`);
      });
    });

  withVaultOptions(
    secrets
      .command("purge")
      .summary("remove a deleted secret for good (cannot be undone)")
      .argument("[name]", "secret name")
      .option("--name <name>", "secret name")
      .option("-y, --yes", "do not ask for confirmation"),
  )
    .addHelpText("after", "\nExample:\n  orbitra secrets purge old-token --yes")
    .action(async (positional: string | undefined, options: VaultOptions & { yes?: boolean }) => {
      const name = nameOf(positional, options);
      if (!options.yes) {
        if (!ctx.stdin.isTTY) throw new UsageError(`Purging ${name} cannot be undone; pass --yes to confirm when not on a terminal.`);
        if (!(await confirm(`Purge ${name} for good? This cannot be undone.`, ctx))) {
          throw new UsageError("Not confirmed; nothing was purged.");
        }
      }
      await withClient(options, ctx, async (client) => {
        await client.purgeDeletedSecret(name);
        writeResult(ctx, options, { name, purged: true }, `Purged ${name}.\n`);
      });
    });
}
