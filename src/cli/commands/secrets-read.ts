import type { Command } from "commander";
import { notFoundText } from "../../backends/local-messages.js";
import { SecretNotFoundError } from "../../core/errors.js";
import { describeTarget } from "../../settings/vault-target.js";
import type { CliContext } from "../context.js";
import { writeLines } from "../write-lines.js";
import { deletedToText, propertiesToJson, propertiesToText, versionsToText } from "../output.js";
import { nameOf, withClient, withVaultOptions, writeResult, type VaultOptions } from "../secret-command.js";
import { runGet, type GetOptions } from "./secrets-get.js";

export function registerReadCommands(secrets: Command, ctx: CliContext): void {
  withVaultOptions(
    secrets
      .command("get")
      .summary("print a secret's value")
      .description(
        "Writes the raw value of the latest (or a given) version to stdout, with a newline only on a terminal. " +
          "Besides `secrets export` (to stdout without -o), the only command that prints a value.",
      )
      .argument("[name]", "secret name")
      .option("--name <name>", "secret name (alternative to the argument)")
      .option("--version <version>", "a specific version (32 hex characters)"),
  )
    .addHelpText("after", "\nExamples:\n  orbitra secrets get db-password\n  orbitra secrets get db-password -e prod > /run/secrets/db\n  DB_PASSWORD=$(orbitra secrets get db-password)")
    .action((positional: string | undefined, options: GetOptions) => runGet(positional, options, ctx));

  withVaultOptions(
    secrets
      .command("show")
      .summary("show a secret's properties (never its value)")
      .argument("[name]", "secret name")
      .option("--name <name>", "secret name")
      .option("--version <version>", "a specific version"),
  )
    .addHelpText("after", "\nExamples:\n  orbitra secrets show db-password\n  orbitra secrets show db-password --json")
    .action(async (positional: string | undefined, options: GetOptions) => {
      const name = nameOf(positional, options);
      await withClient(options, ctx, async (client) => {
        const p = await client.getSecretProperties(name, options.version ? { version: options.version } : {});
        const judged = { now: (await client.vaultTime()).getTime() };
        writeResult(ctx, options, propertiesToJson(p, judged), propertiesToText(p, judged));
      });
    });

  withVaultOptions(secrets.command("list").summary("list secret names, sorted"))
    .addHelpText("after", "\nExamples:\n  orbitra secrets list\n  orbitra secrets list -e prod --json")
    .action(async (options: VaultOptions) => {
      await withClient(options, ctx, async (client) => {
        if (options.json) {
          const all = await client.listSecretProperties();
          all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
          const judged = { now: (await client.vaultTime()).getTime() };
          writeResult(ctx, options, all.map((p) => propertiesToJson(p, judged)), "");
        } else {
          await writeLines(ctx.stdout, client.secretNames());
        }
      });
    });

  withVaultOptions(
    secrets
      .command("versions")
      .summary("list every version of a secret")
      .argument("[name]", "secret name")
      .option("--name <name>", "secret name"),
  )
    .addHelpText("after", "\nExample:\n  orbitra secrets versions db-password")
    .action(async (positional: string | undefined, options: VaultOptions) => {
      const name = nameOf(positional, options);
      await withClient(options, ctx, async (client) => {
        const versions = await client.listSecretVersions(name);
        // Key Vault lists no versions for a name it does not have (or has deleted), without an
        // error; a secret always has at least one version, so an empty list means not found.
        if (versions.length === 0) throw new SecretNotFoundError(notFoundText(name), { secretName: name, vault: describeTarget(client.target) });
        versions.sort((a, b) => a.createdOn.getTime() - b.createdOn.getTime());
        const judged = { now: (await client.vaultTime()).getTime() };
        writeResult(ctx, options, versions.map((p) => propertiesToJson(p, judged)), versionsToText(versions));
      });
    });

  withVaultOptions(secrets.command("deleted").summary("list deleted secrets that can still be recovered"))
    .addHelpText("after", "\nExample:\n  orbitra secrets deleted")
    .action(async (options: VaultOptions) => {
      await withClient(options, ctx, async (client) => {
        const deleted = await client.listDeletedSecrets();
        writeResult(ctx, options, deleted.map((p) => propertiesToJson(p)), deletedToText(deleted));
      });
    });
}
