import { resolve } from "node:path";
import type { Command } from "commander";
import type { OrbitraCertificatesClient } from "../../client/certificates-client.js";
import { addObjectCommand } from "../command-builder.js";
import type { CliContext } from "../context.js";
import type { ObjectCommand, VaultOptions } from "../object-command.js";
import { writePrivateFile } from "../private-file.js";
import { readSecretValue } from "../read-value.js";
import { UsageError } from "../usage-error.js";
import { CERTS } from "./certs-kind.js";
import { certificatePropertiesToJson, certificateToJson, certificateToText, listToText, versionsToText } from "./certs-output.js";
import { writeNewFile } from "./certs-write.js";

const LIST: ObjectCommand<OrbitraCertificatesClient, VaultOptions & { includePending?: boolean }> = {
  kind: CERTS,
  command: "list",
  summary: "list the certificates (names; --json for their properties)",
  flags: [{ flags: "--include-pending", description: "also those still waiting for a merge" }],
  examples: ["orbitra certs list", "orbitra certs list --include-pending --json"],
  run: async (client, { options }) => {
    const items = await client.listCertificates({ includePending: options.includePending === true });
    return { json: items.map((p) => certificatePropertiesToJson(p)), text: listToText(items) };
  },
};

const SHOW: ObjectCommand<OrbitraCertificatesClient, VaultOptions & { version?: string }> = {
  kind: CERTS,
  command: "show",
  summary: "show a certificate: subject, SANs, validity, thumbprint, tags (--json adds the DER and policy)",
  named: true,
  flags: [{ flags: "--version <version>", description: "a version (default: the latest)" }],
  examples: ["orbitra certs show dev-tls", "orbitra certs show dev-tls --json"],
  run: async (client, { name, options }) => {
    const certificate = await client.getCertificate(name, options.version);
    return { json: certificateToJson(certificate), text: certificateToText(certificate) };
  },
};

const VERSIONS: ObjectCommand<OrbitraCertificatesClient> = {
  kind: CERTS,
  command: "versions",
  summary: "list a certificate's versions, oldest first",
  named: true,
  examples: ["orbitra certs versions dev-tls"],
  run: async (client, { name }) => {
    const versions = await client.listCertificateVersions(name);
    if (versions.length === 0) await client.getCertificate(name); // a missing name is CertificateNotFound, not an empty list
    return { json: versions.map((p) => certificatePropertiesToJson(p)), text: versionsToText(versions) };
  },
};

const DELETED: ObjectCommand<OrbitraCertificatesClient> = {
  kind: CERTS,
  command: "deleted",
  summary: "list deleted certificates that can still be recovered",
  examples: ["orbitra certs deleted"],
  run: async (client) => {
    const items = await client.listDeletedCertificates();
    return { json: items.map((p) => certificatePropertiesToJson(p)), text: items.map((d) => `${d.name}  purge ${d.scheduledPurgeDate.toISOString()}\n`).join("") };
  },
};

type DownloadOptions = VaultOptions & { format?: string; output?: string; version?: string; password?: boolean; force?: boolean };

const DOWNLOAD: ObjectCommand<OrbitraCertificatesClient, DownloadOptions, { format: "pem" | "pfx" | "cer"; password?: string }> = {
  kind: CERTS,
  command: "download",
  summary: "write a certificate as PEM files, a PFX or DER; files with a private key are 0600",
  description:
    "--format pem (default) writes NAME.key (the private key, when exportable) and NAME.crt (the certificate and its chain), " +
    "or one PEM file with --output. pfx writes NAME.pfx (with --password: protected by a password read from standard input " +
    "or a prompt). cer writes the certificate alone as DER. Nothing is written over an existing file without --force.",
  named: true,
  flags: [
    { flags: "--format <format>", description: "pem (default), pfx or cer" },
    { flags: "-o, --output <file>", description: "one file to write (default: NAME.key + NAME.crt, NAME.pfx or NAME.cer)" },
    { flags: "--version <version>", description: "a version (default: the latest)" },
    { flags: "--password", description: "pfx: protect it with a password (prompt, or standard input when piped)" },
    { flags: "--force", description: "overwrite existing files" },
  ],
  examples: ["orbitra certs download dev-tls --format pem", "orbitra certs download api --format pfx --password -o api.pfx", "orbitra certs download api --format cer"],
  prepare: async ({ options, ctx }) => {
    const format = (options.format ?? "pem").toLowerCase();
    if (format !== "pem" && format !== "pfx" && format !== "cer") throw new UsageError(`--format '${options.format}' is not pem, pfx or cer.`);
    if (options.password && format !== "pfx") throw new UsageError("--password applies to --format pfx only.");
    const password = options.password ? (await readSecretValue({}, ctx)).reveal() : undefined;
    return { format, ...(password !== undefined ? { password } : {}) };
  },
  run: async (client, { name, options, prepared, ctx }) => {
    const at = (file: string) => resolve(ctx.cwd, file);
    const force = options.force === true;
    const written: string[] = [];
    if (prepared.format === "cer") {
      const file = options.output ?? `${name}.cer`;
      writeNewFile(at(file), await client.downloadCer(name, options.version), force);
      written.push(file);
    } else if (prepared.format === "pfx") {
      const file = options.output ?? `${name}.pfx`;
      writePrivateFile(at(file), await client.downloadPfx(name, { ...(options.version ? { version: options.version } : {}), ...(prepared.password !== undefined ? { password: prepared.password } : {}) }), force);
      written.push(file);
    } else if (options.output !== undefined) {
      const pem = await client.downloadPem(name, options.version);
      writePrivateFile(at(options.output), pem.reveal(), force);
      written.push(options.output);
    } else {
      const files = await client.downloadPemFiles(name, options.version);
      if (files.key) {
        writePrivateFile(at(`${name}.key`), files.key.reveal(), force);
        written.push(`${name}.key`);
      }
      writeNewFile(at(`${name}.crt`), files.certificate + files.chain, force);
      written.push(`${name}.crt`);
    }
    return { json: { name, format: prepared.format, files: written }, text: `Wrote ${written.join(", ")}.\n` };
  },
};

export function registerCertsReadCommands(certs: Command, ctx: CliContext): void {
  for (const spec of [LIST, SHOW, VERSIONS, DOWNLOAD, DELETED] as ObjectCommand<OrbitraCertificatesClient, VaultOptions, unknown>[]) addObjectCommand(certs, spec, ctx);
}
