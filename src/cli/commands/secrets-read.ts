import type { Command } from "commander";
import { notFoundText } from "../../backends/local-messages.js";
import type { OrbitraSecretsClient } from "../../client/secrets-client.js";
import { SecretNotFoundError } from "../../core/errors.js";
import { describeTarget } from "../../settings/vault-target.js";
import { addObjectCommand } from "../command-builder.js";
import type { CliContext } from "../context.js";
import type { ObjectCommand, VaultOptions } from "../object-command.js";
import { writeJsonArray, writeLines } from "../write-lines.js";
import { deletedToText, propertiesToJson, propertiesToText, versionsToText } from "../output.js";
import { GET, type GetOptions } from "./secrets-get.js";
import { SECRETS } from "./secrets-kind.js";

const SHOW: ObjectCommand<OrbitraSecretsClient, GetOptions> = {
  kind: SECRETS,
  command: "show",
  summary: "show a secret's properties (never its value)",
  named: true,
  flags: [{ flags: "--version <version>", description: "a specific version" }],
  examples: ["orbitra secrets show db-password", "orbitra secrets show db-password --json"],
  run: async (client, { name, options }) => {
    const p = await client.getSecretProperties(name, options.version ? { version: options.version } : {});
    const judged = { now: (await client.vaultTime()).getTime() };
    return { json: propertiesToJson(p, judged), text: propertiesToText(p, judged) };
  },
};

const LIST: ObjectCommand<OrbitraSecretsClient> = {
  kind: SECRETS,
  command: "list",
  summary: "list secret names, sorted",
  examples: ["orbitra secrets list", "orbitra secrets list -e prod --json"],
  run: async (client, { options, ctx }) => {
    // Streams, --json too: a million secrets print their first line at once and never sit in memory together.
    if (!options.json) return void (await writeLines(ctx.stdout, client.secretNames()));
    await writeJsonArray(ctx.stdout, judgedByVaultClock(client));
  },
};

/**
 * Each secret's JSON, expiry judged by the vault's clock as it stood at the listing's first reply:
 * asked for before any reply, a remote vault's clock is still this machine's.
 */
async function* judgedByVaultClock(client: OrbitraSecretsClient): AsyncIterable<unknown> {
  let judged: { now: number } | undefined;
  for await (const p of client.secretPropertiesByName()) {
    judged ??= { now: (await client.vaultTime()).getTime() };
    yield propertiesToJson(p, judged);
  }
}

const VERSIONS: ObjectCommand<OrbitraSecretsClient> = {
  kind: SECRETS,
  command: "versions",
  summary: "list every version of a secret",
  named: true,
  examples: ["orbitra secrets versions db-password"],
  run: async (client, { name }) => {
    const versions = await client.listSecretVersions(name);
    // Key Vault lists no versions for a name it does not have (or has deleted), without an
    // error; a secret always has at least one version, so an empty list means not found.
    if (versions.length === 0) throw new SecretNotFoundError(notFoundText(name), { secretName: name, vault: describeTarget(client.target) });
    versions.sort((a, b) => a.createdOn.getTime() - b.createdOn.getTime());
    const judged = { now: (await client.vaultTime()).getTime() };
    return { json: versions.map((p) => propertiesToJson(p, judged)), text: versionsToText(versions) };
  },
};

const DELETED: ObjectCommand<OrbitraSecretsClient, VaultOptions> = {
  kind: SECRETS,
  command: "deleted",
  summary: "list deleted secrets that can still be recovered",
  examples: ["orbitra secrets deleted"],
  run: async (client) => {
    const deleted = await client.listDeletedSecrets();
    return { json: deleted.map((p) => propertiesToJson(p)), text: deletedToText(deleted) };
  },
};

export function registerReadCommands(secrets: Command, ctx: CliContext): void {
  for (const spec of [GET, SHOW, LIST, VERSIONS, DELETED]) addObjectCommand(secrets, spec, ctx);
}
