import type { Command } from "commander";
import type { OrbitraCertificatesClient } from "../../client/certificates-client.js";
import { addObjectCommand } from "../command-builder.js";
import type { CliContext } from "../context.js";
import type { ObjectCommand, VaultOptions } from "../object-command.js";
import { readUserFile, writePrivateFile } from "../private-file.js";
import { readSecretValue } from "../read-value.js";
import { UsageError } from "../usage-error.js";
import { CERTS } from "./certs-kind.js";
import { certificateToJson, deletedToJson } from "./certs-output.js";
import { confirmPurge, YES_FLAG } from "../confirm-purge.js";

const DELETE: ObjectCommand<OrbitraCertificatesClient> = {
  kind: CERTS,
  command: "delete",
  summary: "soft-delete a certificate (all versions) with its key and secret; recoverable until purged",
  named: true,
  flags: [{ flags: "-y, --yes", description: "accepted for symmetry with purge; delete never asks" }],
  examples: ["orbitra certs delete old-tls"],
  run: async (client, { name }) => {
    const d = await client.deleteCertificate(name);
    return { json: deletedToJson(d), text: `Deleted ${name}; recoverable until ${d.properties.scheduledPurgeDate.toISOString()} (orbitra certs recover ${name}).\n` };
  },
};

const RECOVER: ObjectCommand<OrbitraCertificatesClient> = {
  kind: CERTS,
  command: "recover",
  summary: "bring back a deleted certificate with its versions, key and secret",
  named: true,
  examples: ["orbitra certs recover old-tls"],
  run: async (client, { name }) => {
    const certificate = await client.recoverDeletedCertificate(name);
    return { json: certificateToJson(certificate), text: `Recovered ${certificate.properties.name}.\n` };
  },
};

const PURGE: ObjectCommand<OrbitraCertificatesClient, VaultOptions & { yes?: boolean }> = {
  kind: CERTS,
  command: "purge",
  summary: "remove a deleted certificate, its key and secret for good",
  named: true,
  flags: [YES_FLAG],
  examples: ["orbitra certs purge old-tls --yes"],
  prepare: confirmPurge("Its private key goes with it."),
  run: async (client, { name }) => {
    await client.purgeDeletedCertificate(name);
    return { json: { name, purged: true }, text: `Purged ${name}.\n` };
  },
};

const BACKUP: ObjectCommand<OrbitraCertificatesClient, VaultOptions & { output: string; force?: boolean }> = {
  kind: CERTS,
  command: "backup",
  summary: "write an opaque backup of a certificate (all versions, key and policy) to a file",
  named: true,
  flags: [
    { flags: "-o, --output <file>", description: "where to write the backup (created 0600)", required: true },
    { flags: "--force", description: "overwrite the file if it exists" },
  ],
  examples: ["orbitra certs backup api -o api.backup"],
  run: async (client, { name, options }) => {
    const blob = await client.backupCertificate(name);
    writePrivateFile(options.output, blob, Boolean(options.force));
    return { json: { name, file: options.output, bytes: blob.byteLength }, text: `Backed up ${name} to ${options.output}.\n` };
  },
};

const RESTORE: ObjectCommand<OrbitraCertificatesClient, VaultOptions & { file: string }, Uint8Array> = {
  kind: CERTS,
  command: "restore",
  summary: "restore a certificate from a backup file (the name must be free)",
  flags: [{ flags: "--file <file>", description: "a file written by `orbitra certs backup`", required: true }],
  examples: ["orbitra certs restore --file api.backup -e staging"],
  prepare: ({ options }) => readUserFile(options.file),
  run: async (client, { prepared }) => {
    const certificate = await client.restoreCertificateBackup(prepared);
    return { json: certificateToJson(certificate), text: `Restored ${certificate.properties.name}.\n` };
  },
};

type ContactsOptions = VaultOptions & { add?: string[]; clear?: boolean };

const CONTACTS: ObjectCommand<OrbitraCertificatesClient, ContactsOptions, { email?: string; name?: string; phone?: string }[] | undefined> = {
  kind: CERTS,
  command: "contacts",
  summary: "show the vault's certificate contacts, replace them with --add, or remove them with --clear",
  flags: [
    { flags: "--add <contact>", description: "EMAIL, or 'EMAIL,NAME[,PHONE]' (repeatable); replaces the list", repeatable: true },
    { flags: "--clear", description: "remove every contact" },
  ],
  examples: ["orbitra certs contacts", "orbitra certs contacts --add 'ops@example.com,Ops team'", "orbitra certs contacts --clear"],
  prepare: ({ options }) => {
    if (options.add && options.clear) throw new UsageError("Give --add or --clear, not both.");
    return options.add?.map((entry) => {
      const [email, name, phone] = entry.split(",").map((part) => part.trim());
      return { ...(email ? { email } : {}), ...(name ? { name } : {}), ...(phone ? { phone } : {}) };
    });
  },
  run: async (client, { options, prepared }) => {
    if (options.clear) {
      await client.deleteContacts();
      return { json: { contacts: [] }, text: "Removed the certificate contacts.\n" };
    }
    const contacts = prepared === undefined ? await client.getContacts() : await client.setContacts(prepared);
    const text = contacts.length === 0 ? "No certificate contacts.\n" : contacts.map((c) => `${[c.email, c.name, c.phone].filter(Boolean).join("  ")}\n`).join("");
    return { json: { contacts }, text };
  },
};

type IssuersOptions = VaultOptions & { issuer?: string; provider?: string; accountId?: string; password?: boolean; delete?: boolean };

const ISSUERS: ObjectCommand<OrbitraCertificatesClient, IssuersOptions, { issuer?: string; password?: string }> = {
  kind: CERTS,
  command: "issuers",
  summary: "list the vault's certificate issuers, show one, set it with --provider, or --delete it",
  flags: [
    { flags: "--issuer <name>", description: "the issuer to show, set or delete (default: list them all)" },
    { flags: "--provider <provider>", description: "create or replace ISSUER with this provider (DigiCert, GlobalSign, ...)" },
    { flags: "--account-id <id>", description: "with --provider: the account at the provider" },
    { flags: "--password", description: "with --provider: read the account's password from a prompt or standard input" },
    { flags: "--delete", description: "delete ISSUER" },
  ],
  examples: ["orbitra certs issuers", "orbitra certs issuers --issuer dc --provider DigiCert --password", "orbitra certs issuers --issuer dc --delete"],
  prepare: async ({ options, ctx }) => {
    if (options.provider !== undefined && options.delete) throw new UsageError("Give --provider or --delete, not both.");
    if (options.password && options.provider === undefined) throw new UsageError("--password goes with --provider.");
    const password = options.password ? (await readSecretValue({}, ctx)).reveal() : undefined;
    return password === undefined ? {} : { password };
  },
  run: async (client, { options, prepared }) => {
    const issuer = options.issuer;
    if (issuer === undefined) {
      if (options.provider !== undefined || options.delete) throw new UsageError("Name the issuer: orbitra certs issuers --issuer NAME --provider P (or --delete).");
      const all = await client.listIssuers();
      return { json: all, text: all.length === 0 ? "No issuers.\n" : all.map((i) => `${i.name}  ${i.provider}\n`).join("") };
    }
    if (options.delete) {
      await client.deleteIssuer(issuer);
      return { json: { name: issuer, deleted: true }, text: `Deleted issuer ${issuer}.\n` };
    }
    const input = options.provider === undefined ? undefined : { provider: options.provider, ...(options.accountId ? { accountId: options.accountId } : {}), ...(prepared.password !== undefined ? { password: prepared.password } : {}) };
    const result = input === undefined ? await client.getIssuer(issuer) : await client.setIssuer(issuer, input);
    return { json: result, text: `${result.name}  ${result.provider}${result.accountId ? `  account ${result.accountId}` : ""}\n` };
  },
};

export function registerCertsLifecycleCommands(certs: Command, ctx: CliContext): void {
  for (const spec of [DELETE, RECOVER, PURGE, BACKUP, RESTORE, CONTACTS, ISSUERS] as ObjectCommand<OrbitraCertificatesClient, VaultOptions, unknown>[]) addObjectCommand(certs, spec, ctx);
}
