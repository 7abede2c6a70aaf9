import type { Command } from "commander";
import type { OrbitraKeysClient } from "../../client/keys-client.js";
import { InvalidValueError } from "../../core/errors.js";
import type { KeyAttributesInput, KeyPropertiesUpdate, KeyRotationLifetimeAction, KeyRotationPolicy } from "../../core/key-types.js";
import { assertValidName } from "../../core/rules.js";
import { KEY_OPERATIONS, type CurveName, type JsonWebKey, type KeyOperation, type KeyType } from "../../crypto/types.js";
import { addObjectCommand } from "../command-builder.js";
import type { FlagSpec } from "../command-declaration.js";
import type { CliContext } from "../context.js";
import { parseDate, parseTags } from "../flag-values.js";
import type { ObjectCommand, VaultOptions } from "../object-command.js";
import { UsageError } from "../usage-error.js";
import { readInput } from "./keys-io.js";
import { KEYS } from "./keys-kind.js";
import { keyToJson, rotationPolicyToJson, rotationPolicyToText } from "./keys-output.js";

interface AttributeOptions {
  tag?: string[];
  expires?: string;
  notBefore?: string;
  ops?: string;
}

const ATTRIBUTE_FLAGS: readonly FlagSpec[] = [
  { flags: "--ops <operations>", description: `the operations allowed, comma-separated: ${KEY_OPERATIONS.join(", ")}` },
  { flags: "--tag <name=value>", description: "a tag (repeatable); replaces all tags", repeatable: true },
  { flags: "--expires <date>", description: "expiry date, ISO 8601: no encrypt or sign after it" },
  { flags: "--not-before <date>", description: "activation date, ISO 8601: no encrypt or sign before it" },
];

/** `wrapkey` or `wrapKey`: the URL's spelling and the JWK's both work. */
function parseOps(text: string | undefined): KeyOperation[] | undefined {
  if (text === undefined) return undefined;
  return text.split(",").filter(Boolean).map((op) => {
    const known = KEY_OPERATIONS.find((k) => k.toLowerCase() === op.trim().toLowerCase());
    if (!known) throw new UsageError(`--ops: '${op}' is not a key operation (${KEY_OPERATIONS.join(", ")}).`);
    return known;
  });
}

function attributes(options: AttributeOptions): KeyAttributesInput & KeyPropertiesUpdate {
  const tags = parseTags(options.tag);
  const expiresOn = parseDate(options.expires, "--expires");
  const notBefore = parseDate(options.notBefore, "--not-before");
  const keyOps = parseOps(options.ops);
  return { ...(tags ? { tags } : {}), ...(expiresOn ? { expiresOn } : {}), ...(notBefore ? { notBefore } : {}), ...(keyOps ? { keyOps } : {}) };
}

function integer(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,10}$/.test(text)) throw new UsageError(`${flag} '${text}' is not a whole number.`);
  return Number(text);
}

type CreateOptions = VaultOptions &
  AttributeOptions & { type?: string; size?: string; curve?: string; publicExponent?: string; hsm?: boolean; exportable?: boolean; disabled?: boolean };

const CREATE: ObjectCommand<OrbitraKeysClient, CreateOptions, { keyType: KeyType; options: Record<string, unknown> }> = {
  kind: KEYS,
  command: "create",
  summary: "create a key, or a new version of it",
  description:
    "Makes the key in the vault; the private key never leaves it. RSA keys are 2048 (default), 3072 or " +
    "4096 bits, EC keys on P-256 (default), P-384, P-521 or P-256K, oct (AES) keys 128, 192 or 256 (default) bits.",
  named: true,
  flags: [
    { flags: "--type <type>", description: "RSA (default), EC or oct; --hsm for the -HSM form" },
    { flags: "--size <bits>", description: "RSA or oct key size" },
    { flags: "--curve <curve>", description: "EC curve: P-256, P-384, P-521 or P-256K" },
    { flags: "--public-exponent <n>", description: "RSA public exponent (default 65537)" },
    { flags: "--hsm", description: "an RSA-HSM, EC-HSM or oct-HSM key" },
    { flags: "--exportable", description: "the private key may be exported" },
    { flags: "--disabled", description: "create the version disabled" },
  ],
  flagsAfter: ATTRIBUTE_FLAGS,
  examples: [
    "orbitra keys create signing --type EC --curve P-384",
    "orbitra keys create wrapping --size 3072 --ops wrapKey,unwrapKey",
    "orbitra keys create data-key --type oct --size 256 --hsm -e local",
  ],
  prepare: ({ name, options }) => {
    assertValidName(name, "key");
    const family = (options.type ?? "RSA").replace(/-HSM$/i, "");
    const base = ["RSA", "EC", "oct"].find((f) => f.toLowerCase() === family.toLowerCase());
    if (!base) throw new UsageError(`--type '${options.type}' is not RSA, EC or oct (add --hsm for their -HSM form).`);
    const hsm = Boolean(options.hsm) || /-HSM$/i.test(options.type ?? "");
    const size = integer(options.size, "--size");
    const exponent = integer(options.publicExponent, "--public-exponent");
    return {
      keyType: (hsm ? `${base}-HSM` : base) as KeyType,
      options: {
        ...attributes(options),
        ...(size !== undefined ? { keySize: size } : {}),
        ...(exponent !== undefined ? { publicExponent: exponent } : {}),
        ...(options.curve !== undefined ? { curve: options.curve as CurveName } : {}),
        ...(options.exportable ? { exportable: true } : {}),
        ...(options.disabled ? { enabled: false } : {}),
      },
    };
  },
  run: async (client, { name, prepared }) => {
    const key = await client.createKey(name, prepared.keyType, prepared.options);
    return { json: keyToJson(key), text: `Created ${key.properties.name} (${key.keyType}, version ${key.properties.version}).\n` };
  },
};

/** A JWK (JSON, with its private members) or a PEM / PKCS#8 private key, as Key Vault's JWK. Never echoes the file. */
function parseKeyFile(bytes: Buffer, source: string): JsonWebKey {
  const text = bytes.toString("utf8").trim();
  if (text.startsWith("-----BEGIN")) {
    let jwk: Omit<JsonWebKey, "crv"> & { crv?: string };
    try {
      jwk = process.getBuiltinModule("node:crypto").createPrivateKey(text).export({ format: "jwk" }) as Omit<JsonWebKey, "crv"> & { crv?: string };
    } catch {
      throw new InvalidValueError(`${source} is not a private key orbitra can read (PEM, unencrypted PKCS#8, PKCS#1 or SEC1).`);
    }
    return (jwk.crv === "secp256k1" ? { ...jwk, crv: "P-256K" } : jwk) as JsonWebKey;
  }
  try {
    return JSON.parse(text) as JsonWebKey;
  } catch {
    throw new InvalidValueError(`${source} is neither a JSON Web Key (JSON) nor a PEM private key.`);
  }
}

type ImportOptions = VaultOptions & AttributeOptions & { file?: string; hsm?: boolean; exportable?: boolean; disabled?: boolean };

const IMPORT: ObjectCommand<OrbitraKeysClient, ImportOptions, JsonWebKey> = {
  kind: KEYS,
  command: "import",
  summary: "import a private key (JWK or PEM) as a key, or a new version of it",
  description: "Reads a JSON Web Key with its private members, or a PEM private key, from --file or standard input. Only the public half is ever printed.",
  named: true,
  flags: [
    { flags: "--file <file>", description: "the key file (default: standard input)" },
    { flags: "--hsm", description: "store it as RSA-HSM, EC-HSM or oct-HSM (Key Vault's Hsm flag)" },
    { flags: "--exportable", description: "the private key may be exported" },
    { flags: "--disabled", description: "import the version disabled" },
  ],
  flagsAfter: ATTRIBUTE_FLAGS.filter((f) => !f.flags.startsWith("--ops")),
  examples: ["orbitra keys import legacy-signing --file signing.pem", "openssl genrsa 3072 | orbitra keys import legacy-rsa"],
  // The key is read before the vault is opened: a bad file costs no sign-in.
  prepare: async ({ name, options, ctx }) => {
    assertValidName(name, "key");
    return parseKeyFile(await readInput(options, ctx, "key file"), options.file ?? "Standard input");
  },
  run: async (client, { name, options, prepared: jwk }) => {
    // Import takes no --ops: a JWK's own key_ops say what the key may do.
    const { keyOps: _none, ...imported } = attributes(options);
    const key = await client.importKey(name, jwk, {
      ...imported,
      ...(options.hsm ? { hardwareProtected: true } : {}),
      ...(options.exportable ? { exportable: true } : {}),
      ...(options.disabled ? { enabled: false } : {}),
    });
    return { json: keyToJson(key), text: `Imported ${key.properties.name} (${key.keyType}, version ${key.properties.version}).\n` };
  },
};

type UpdateOptions = VaultOptions & AttributeOptions & { version?: string; enable?: boolean; disable?: boolean };

const UPDATE: ObjectCommand<OrbitraKeysClient, UpdateOptions, KeyPropertiesUpdate> = {
  kind: KEYS,
  command: "update",
  summary: "change a version's properties (enabled, dates, operations, tags)",
  named: true,
  flags: [
    { flags: "--version <version>", description: "the version to change (default: latest)" },
    { flags: "--enable", description: "enable the version" },
    { flags: "--disable", description: "disable the version (no decrypt, sign or unwrap then)" },
  ],
  flagsAfter: ATTRIBUTE_FLAGS,
  examples: ["orbitra keys update signing --disable", "orbitra keys update signing --ops sign,verify --expires 2027-06-30"],
  prepare: ({ options }) => {
    if (options.enable && options.disable) throw new UsageError("Give --enable or --disable, not both.");
    const update = { ...attributes(options), ...(options.enable ? { enabled: true } : {}), ...(options.disable ? { enabled: false } : {}) };
    if (Object.keys(update).length === 0) throw new UsageError("Nothing to change: give --enable, --disable, --ops, --expires, --not-before or --tag.");
    return update;
  },
  run: async (client, { name, options, prepared }) => {
    const key = await client.updateKeyProperties(name, prepared, options.version ? { version: options.version } : {});
    return { json: keyToJson(key), text: `Updated ${key.properties.name} (version ${key.properties.version}).\n` };
  },
};

const ROTATE: ObjectCommand<OrbitraKeysClient> = {
  kind: KEYS,
  command: "rotate",
  summary: "make a new version with the latest one's type, size or curve",
  named: true,
  examples: ["orbitra keys rotate signing"],
  run: async (client, { name }) => {
    const key = await client.rotateKey(name);
    return { json: keyToJson(key), text: `Rotated ${key.properties.name} (new version ${key.properties.version}).\n` };
  },
};

type PolicyOptions = VaultOptions & { rotateAfter?: string; rotateBeforeExpiry?: string; notifyBeforeExpiry?: string; expiresIn?: string };

const POLICY: ObjectCommand<OrbitraKeysClient, PolicyOptions, KeyRotationPolicy | undefined> = {
  kind: KEYS,
  command: "rotation-policy",
  summary: "show a key's rotation policy, or set it",
  description:
    "Without options, prints the policy. With any, replaces it: durations are ISO 8601 (P90D, P1Y). " +
    "The vault rotates the key when an action's time has come, giving each new version the expiry of --expires-in.",
  named: true,
  flags: [
    { flags: "--rotate-after <duration>", description: "rotate this long after a version was made" },
    { flags: "--rotate-before-expiry <duration>", description: "rotate this long before a version expires" },
    { flags: "--notify-before-expiry <duration>", description: "notify (Event Grid) this long before expiry" },
    { flags: "--expires-in <duration>", description: "the expiry of each new version (at least P28D)" },
  ],
  examples: ["orbitra keys rotation-policy signing", "orbitra keys rotation-policy signing --rotate-after P90D --expires-in P1Y"],
  prepare: ({ options }) => {
    const actions: KeyRotationLifetimeAction[] = [
      ...(options.rotateAfter ? [{ action: "Rotate" as const, timeAfterCreate: options.rotateAfter }] : []),
      ...(options.rotateBeforeExpiry ? [{ action: "Rotate" as const, timeBeforeExpiry: options.rotateBeforeExpiry }] : []),
      ...(options.notifyBeforeExpiry ? [{ action: "Notify" as const, timeBeforeExpiry: options.notifyBeforeExpiry }] : []),
    ];
    if (actions.length === 0 && options.expiresIn === undefined) return undefined;
    return { lifetimeActions: actions, ...(options.expiresIn !== undefined ? { expiresIn: options.expiresIn } : {}) };
  },
  run: async (client, { name, prepared }) => {
    const policy = prepared ? await client.updateKeyRotationPolicy(name, prepared) : await client.getKeyRotationPolicy(name);
    return { json: rotationPolicyToJson(policy), text: rotationPolicyToText(policy) };
  },
};

export function registerKeysWriteCommands(keys: Command, ctx: CliContext): void {
  for (const spec of [CREATE, IMPORT, UPDATE, ROTATE, POLICY] as ObjectCommand<OrbitraKeysClient, VaultOptions, unknown>[]) addObjectCommand(keys, spec, ctx);
}
