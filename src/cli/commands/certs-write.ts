import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import type { WirePolicy } from "../../backends/certificates-backend.js";
import type { OrbitraCertificatesClient } from "../../client/certificates-client.js";
import { assertValidName } from "../../core/rules.js";
import { pemBlocks, toPem } from "../../x509/pem.js";
import { addObjectCommand } from "../command-builder.js";
import type { FlagSpec } from "../command-declaration.js";
import type { CliContext } from "../context.js";
import { parseTags } from "../flag-values.js";
import type { ObjectCommand, VaultOptions } from "../object-command.js";
import { readUserFile } from "../private-file.js";
import { readSecretValue } from "../read-value.js";
import { UsageError } from "../usage-error.js";
import { CERTS } from "./certs-kind.js";
import { certificateToJson, operationToJson } from "./certs-output.js";
import { contentTypeOf, POLICY_FLAGS, policyOf, readPolicyFile, type PolicyFlags } from "./certs-policy.js";

interface WriteFlags {
  tag?: string[];
  disabled?: boolean;
}

const WRITE_FLAGS: readonly FlagSpec[] = [
  { flags: "--tag <name=value>", description: "a tag (repeatable)", repeatable: true },
  { flags: "--disabled", description: "make the version disabled" },
];

function writeOptions(flags: WriteFlags): { enabled?: boolean; tags?: Record<string, string> } {
  const tags = parseTags(flags.tag);
  return { ...(tags ? { tags } : {}), ...(flags.disabled ? { enabled: false } : {}) };
}

type CreateOptions = VaultOptions & PolicyFlags & WriteFlags & { issuer?: string };

const CREATE: ObjectCommand<OrbitraCertificatesClient, CreateOptions, WirePolicy> = {
  kind: CERTS,
  command: "create",
  summary: "create a certificate (self-signed by default), or a new version of it",
  description:
    "Makes the key in the vault and the certificate from the policy; the vault also keeps a secret of the same name with " +
    "the PFX (or PEM) and, unless --not-exportable, its private key. --issuer Unknown leaves a CSR for a CA to sign " +
    "(see csr and merge).",
  named: true,
  flags: [...POLICY_FLAGS, { flags: "--issuer <name>", description: "Self (default) or Unknown (a CA outside signs the CSR)" }, ...WRITE_FLAGS],
  examples: [
    "orbitra certs create dev-tls --san localhost --san 127.0.0.1 -e local",
    "orbitra certs create api --subject CN=api.example.com --key-type EC",
    "orbitra certs create short --validity-months 3 --curve P-384 --key-type EC",
    "orbitra certs create client --ekus 1.3.6.1.5.5.7.3.2 --content-type pem",
    "orbitra certs create from-file --policy policy.json",
  ],
  prepare: ({ name, options }) => {
    assertValidName(name, "certificate");
    return policyOf(options, name, options.issuer ?? "Self");
  },
  run: async (client, { name, options, prepared }) => {
    const { operation, certificate } = await client.createCertificate(name, prepared, writeOptions(options));
    if (!certificate) {
      return {
        json: operationToJson(operation),
        text: `Created ${name}: pending (${operation.status}); 'orbitra certs csr ${name} -o ${name}.csr' writes the request, 'orbitra certs merge ${name} --file signed.crt' completes it.\n`,
      };
    }
    const expires = certificate.properties.expiresOn?.toISOString() ?? "-";
    return { json: certificateToJson(certificate), text: `Created ${name} (version ${certificate.properties.version}, expires ${expires}).\n` };
  },
};

type CsrOptions = CreateOptions & { output?: string };

const CSR: ObjectCommand<OrbitraCertificatesClient, CsrOptions, WirePolicy | undefined> = {
  kind: CERTS,
  command: "csr",
  summary: "start a certificate a CA outside signs: print (or write) its CSR",
  description:
    "Starts a create with issuer Unknown (unless one is already pending) and prints the PKCS#10 request as PEM. " +
    "Sign it with your CA, then 'orbitra certs merge NAME --file signed.crt [--file chain.crt]'.",
  named: true,
  flags: [{ flags: "-o, --output <file>", description: "write the CSR (PEM) to this file instead of standard output" }, ...POLICY_FLAGS, ...WRITE_FLAGS],
  examples: ["orbitra certs csr partner --subject CN=partner.example.com -o p.csr", "orbitra certs csr partner"],
  prepare: ({ name, options }) => {
    assertValidName(name, "certificate");
    const flagged = options.policy !== undefined || options.subject !== undefined || options.san !== undefined;
    return flagged ? policyOf(options, name, options.issuer ?? "Unknown") : undefined;
  },
  run: async (client, { name, options, prepared }) => {
    let operation = await pendingOperation(client, name);
    if (operation === undefined || prepared !== undefined) {
      operation = (await client.createCertificate(name, prepared ?? policyOf(options, name, "Unknown"), writeOptions(options))).operation;
    }
    if (!operation.csr) throw new UsageError(`${name} has no pending request: its operation is ${operation.status}.`);
    const pem = toPem("CERTIFICATE REQUEST", operation.csr);
    if (options.output === undefined) return { json: operationToJson(operation), text: pem };
    // A CSR holds no secret: an ordinary file, but never over an existing one.
    writeNewFile(options.output, pem);
    return { json: { ...operationToJson(operation), file: options.output }, text: `Wrote the request for ${name} to ${options.output}.\n` };
  },
};

/** The operation still in progress, if any. */
async function pendingOperation(client: OrbitraCertificatesClient, name: string) {
  try {
    const op = await client.getCertificateOperation(name);
    return op.status === "inProgress" ? op : undefined;
  } catch {
    return undefined;
  }
}

const MERGE: ObjectCommand<OrbitraCertificatesClient, VaultOptions & WriteFlags & { file?: string[] }, Uint8Array[]> = {
  kind: CERTS,
  command: "merge",
  summary: "complete a pending certificate with what the CA signed (and its chain)",
  named: true,
  flags: [{ flags: "--file <file>", description: "the signed certificate, then its chain: PEM (one or more blocks) or DER (repeatable)", repeatable: true }, ...WRITE_FLAGS],
  examples: ["orbitra certs merge partner-mtls --file partner.crt --file intermediate.crt"],
  prepare: ({ options }) => {
    if (!options.file || options.file.length === 0) throw new UsageError("Give the signed certificate with --file (and its chain with more --file).");
    return options.file.flatMap((path) => {
      const bytes = readUserFile(path);
      const text = bytes.toString("latin1");
      return text.includes("-----BEGIN ") ? pemBlocks(text).filter((b) => b.label === "CERTIFICATE").map((b) => new Uint8Array(b.der)) : [new Uint8Array(bytes)];
    });
  },
  run: async (client, { name, options, prepared }) => {
    const certificate = await client.mergeCertificate(name, prepared, writeOptions(options));
    return { json: certificateToJson(certificate), text: `Merged ${name} (version ${certificate.properties.version}).\n` };
  },
};

type ImportOptions = VaultOptions & WriteFlags & { file?: string; password?: boolean; contentType?: string; notExportable?: boolean };

const IMPORT: ObjectCommand<OrbitraCertificatesClient, ImportOptions, { content: Buffer; password?: string; policy?: WirePolicy }> = {
  kind: CERTS,
  command: "import",
  summary: "import a certificate with its private key: PEM or PFX",
  description: "PEM (certificate, private key, chain) or PFX; with --password the PFX's or encrypted key's password is read from standard input or a prompt, never from the command line.",
  named: true,
  flags: [
    { flags: "--file <file>", description: "the PEM or PFX file", required: true },
    { flags: "--password", description: "ask for the password (prompt, or standard input when piped)" },
    { flags: "--content-type <type>", description: "the linked secret's format: pfx or pem (default: as imported)" },
    { flags: "--not-exportable", description: "keep the private key in the vault only" },
    ...WRITE_FLAGS,
  ],
  examples: ["orbitra certs import api --file api.pfx --password < pw.txt", "orbitra certs import web --file web.pem --content-type pem"],
  prepare: async ({ name, options, ctx }) => {
    assertValidName(name, "certificate");
    const content = readUserFile(options.file!);
    const password = options.password ? (await readSecretValue({}, ctx)).reveal() : undefined;
    const policy: WirePolicy = {};
    if (options.contentType !== undefined) policy.secret_props = { contentType: contentTypeOf(options.contentType) };
    if (options.notExportable) policy.key_props = { exportable: false };
    return { content, ...(password !== undefined ? { password } : {}), ...(Object.keys(policy).length > 0 ? { policy } : {}) };
  },
  run: async (client, { name, options, prepared }) => {
    const { content, ...rest } = prepared;
    const certificate = await client.importCertificate(name, content, { ...writeOptions(options), ...rest });
    return { json: certificateToJson(certificate), text: `Imported ${name} (version ${certificate.properties.version}).\n` };
  },
};

type UpdateOptions = VaultOptions & { version?: string; enable?: boolean; disable?: boolean; tag?: string[] };

const UPDATE: ObjectCommand<OrbitraCertificatesClient, UpdateOptions, { enabled?: boolean; tags?: Record<string, string> }> = {
  kind: CERTS,
  command: "update",
  summary: "enable, disable or re-tag a version (the latest by default)",
  named: true,
  flags: [
    { flags: "--version <version>", description: "the version to change (default: the latest)" },
    { flags: "--enable", description: "enable the version" },
    { flags: "--disable", description: "disable the version (its key and secret too)" },
    { flags: "--tag <name=value>", description: "a tag (repeatable); replaces all tags", repeatable: true },
  ],
  examples: ["orbitra certs update api --disable", "orbitra certs update api --tag owner=platform"],
  prepare: ({ options }) => {
    if (options.enable && options.disable) throw new UsageError("Give --enable or --disable, not both.");
    const tags = parseTags(options.tag);
    const update = { ...(options.enable ? { enabled: true } : {}), ...(options.disable ? { enabled: false } : {}), ...(tags ? { tags } : {}) };
    if (Object.keys(update).length === 0) throw new UsageError("Nothing to change: give --enable, --disable or --tag.");
    return update;
  },
  run: async (client, { name, options, prepared }) => {
    const certificate = await client.updateCertificateProperties(name, options.version, prepared);
    return { json: certificateToJson(certificate), text: `Updated ${name} (version ${certificate.properties.version}).\n` };
  },
};

const POLICY: ObjectCommand<OrbitraCertificatesClient, VaultOptions & { set?: string }, WirePolicy | undefined> = {
  kind: CERTS,
  command: "policy",
  summary: "print a certificate's policy (Key Vault's JSON), or change it with --set FILE",
  named: true,
  flags: [{ flags: "--set <file>", description: "a JSON file of the members to change (section by section)" }],
  examples: ["orbitra certs policy api", "orbitra certs policy api --set renew-at-30-days.json"],
  prepare: ({ options }) => (options.set === undefined ? undefined : readPolicyFile(options.set)),
  run: async (client, { name, prepared }) => {
    const policy = prepared === undefined ? await client.getCertificatePolicy(name) : await client.updateCertificatePolicy(name, prepared);
    return { json: { name, policy }, text: `${JSON.stringify(policy, null, 2)}\n` };
  },
};

/** A file that holds no secret (a CSR, a certificate): created new, not over an existing one. */
export function writeNewFile(path: string, data: string | Uint8Array, force = false): void {
  try {
    writeFileSync(path, data, { flag: force ? "w" : "wx", mode: 0o644 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new UsageError(`${path} exists; pass --force to overwrite it.`);
    throw new UsageError(`Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}.`);
  }
}

export function registerCertsWriteCommands(certs: Command, ctx: CliContext): void {
  for (const spec of [CREATE, CSR, MERGE, IMPORT, UPDATE, POLICY] as ObjectCommand<OrbitraCertificatesClient, VaultOptions, unknown>[]) addObjectCommand(certs, spec, ctx);
}
