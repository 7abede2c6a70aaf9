import type { Command } from "commander";
import { notFoundText } from "../../backends/local-messages.js";
import type { OrbitraKeysClient } from "../../client/keys-client.js";
import { NotFoundError } from "../../core/errors.js";
import { describeTarget } from "../../settings/vault-target.js";
import { addObjectCommand } from "../command-builder.js";
import type { CliContext } from "../context.js";
import type { ObjectCommand, VaultOptions } from "../object-command.js";
import { toJsonLine } from "../output.js";
import { UsageError } from "../usage-error.js";
import { KEYS } from "./keys-kind.js";
import { deletedKeysToText, keyListToText, keyPropertiesToJson, keyToJson, keyToText, keyVersionsToText, publicKeyPem } from "./keys-output.js";

type ShowOptions = VaultOptions & { version?: string; format?: string };

const SHOW: ObjectCommand<OrbitraKeysClient, ShowOptions> = {
  kind: KEYS,
  command: "show",
  summary: "show a key's properties and its public key (never the private key)",
  description:
    "Prints the properties of the latest (or a given) version. --format jwk prints only the public key as " +
    "Key Vault's JSON Web Key, --format pem only as a PEM public key (SPKI), for openssl and TLS tools. " +
    "--json prints the properties and the JWK together.",
  named: true,
  flags: [
    { flags: "--version <version>", description: "a specific version (32 hex characters)" },
    { flags: "--format <format>", description: "jwk or pem: print only the public key, in that form" },
  ],
  examples: ["orbitra keys show signing", "orbitra keys show signing --format pem > signing.pub.pem", "orbitra keys show signing --json"],
  prepare: ({ options }) => {
    if (options.format !== undefined && options.format !== "jwk" && options.format !== "pem") {
      throw new UsageError(`--format '${options.format}' is not jwk or pem.`);
    }
  },
  run: async (client, { name, options }) => {
    const key = await client.getKey(name, options.version ? { version: options.version } : {});
    if (options.format === "pem") return { json: { pem: publicKeyPem(key.key, name) }, text: publicKeyPem(key.key, name) };
    if (options.format === "jwk") return { json: key.key, text: toJsonLine(key.key) };
    return { json: keyToJson(key), text: keyToText(key) };
  },
};

const LIST: ObjectCommand<OrbitraKeysClient> = {
  kind: KEYS,
  command: "list",
  summary: "list key names, sorted",
  examples: ["orbitra keys list", "orbitra keys list -e prod --json"],
  run: async (client) => {
    const keys = await client.listKeys();
    const now = Date.now();
    return { json: keys.map((k) => keyPropertiesToJson(k, now)), text: keyListToText(keys) };
  },
};

const VERSIONS: ObjectCommand<OrbitraKeysClient> = {
  kind: KEYS,
  command: "versions",
  summary: "list every version of a key, oldest first",
  named: true,
  examples: ["orbitra keys versions signing"],
  run: async (client, { name }) => {
    const versions = await client.listKeyVersions(name);
    // Key Vault lists no versions for a name it does not have, without an error; a key has one at least.
    if (versions.length === 0) throw new NotFoundError("key", notFoundText(name, undefined, "key"), { objectName: name, vault: describeTarget(client.target) });
    versions.sort((a, b) => a.createdOn.getTime() - b.createdOn.getTime());
    const now = Date.now();
    return { json: versions.map((v) => keyPropertiesToJson(v, now)), text: keyVersionsToText(versions) };
  },
};

const DELETED: ObjectCommand<OrbitraKeysClient> = {
  kind: KEYS,
  command: "deleted",
  summary: "list deleted keys that can still be recovered",
  examples: ["orbitra keys deleted"],
  run: async (client) => {
    const deleted = await client.listDeletedKeys();
    return { json: deleted.map((d) => keyPropertiesToJson(d)), text: deletedKeysToText(deleted) };
  },
};

export function registerKeysReadCommands(keys: Command, ctx: CliContext): void {
  for (const spec of [LIST, SHOW, VERSIONS, DELETED]) addObjectCommand(keys, spec, ctx);
}
