import type { Command } from "commander";
import type { KeyCryptoResult } from "../../backends/keys-backend.js";
import type { OrbitraKeysClient } from "../../client/keys-client.js";
import { encodeBase64Url } from "../../crypto/base64url.js";
import type { EncryptionAlgorithm, SignatureAlgorithm } from "../../crypto/types.js";
import { addObjectCommand } from "../command-builder.js";
import type { FlagSpec } from "../command-declaration.js";
import type { CliContext } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { ExitRequest } from "../exit-request.js";
import type { ObjectCommand, VaultOptions } from "../object-command.js";
import { toJsonLine } from "../output.js";
import { UsageError } from "../usage-error.js";
import { bytesFlag, checkInputFile, ENCODING_FLAG, INPUT_FLAG, inputStream, OUTPUT_FLAGS, readInput, writeOutput, type IoOptions } from "./keys-io.js";
import { KEYS } from "./keys-kind.js";

type CryptoOptions = VaultOptions & IoOptions & { algorithm: string; version?: string; iv?: string; tag?: string; aad?: string; digest?: boolean; signature?: string };

const algorithmFlag = (which: string): FlagSpec => ({ flags: "-a, --algorithm <alg>", description: which, required: true });
const VERSION_FLAG: FlagSpec = { flags: "--version <version>", description: "a specific version (default: latest)" };
const AES_FLAGS: readonly FlagSpec[] = [
  { flags: "--iv <base64url>", description: "AES-CBC / GCM: the IV (encrypt makes one when absent)" },
  { flags: "--aad <base64url>", description: "AES-GCM: additional authenticated data" },
];

const versionOf = (o: CryptoOptions) => (o.version ? { version: o.version } : {});

/** What --json prints for a result: the bytes and what an AES mode made, base64url. */
function resultJson(r: KeyCryptoResult): Record<string, unknown> {
  return {
    kid: r.keyId,
    algorithm: r.algorithm,
    value: encodeBase64Url(r.result),
    ...(r.iv ? { iv: encodeBase64Url(r.iv) } : {}),
    ...(r.authenticationTag ? { tag: encodeBase64Url(r.authenticationTag) } : {}),
    ...(r.additionalAuthenticatedData ? { aad: encodeBase64Url(r.additionalAuthenticatedData) } : {}),
  };
}

/** Writes the result's bytes (-o or stdout), or the JSON document; `encodable`: base64url allowed. */
function emit(r: KeyCryptoResult, options: CryptoOptions, ctx: CliContext, encodable: boolean): void {
  if (options.json) ctx.stdout.write(toJsonLine(resultJson(r)));
  if (!options.json || options.output !== undefined) writeOutput(r.result, options, ctx, encodable);
}

/** Operations on one block of input, read whole before the vault is opened. */
function blockCommand(
  command: string,
  summary: string,
  flags: readonly FlagSpec[],
  examples: string[],
  inputEncoded: boolean,
  run: (client: OrbitraKeysClient, name: string, input: Uint8Array, options: CryptoOptions, ctx: CliContext) => Promise<void>,
): ObjectCommand<OrbitraKeysClient, CryptoOptions, Uint8Array> {
  return {
    kind: KEYS,
    command,
    summary,
    named: true,
    flags: [...flags, VERSION_FLAG, INPUT_FLAG, ...OUTPUT_FLAGS, ENCODING_FLAG],
    examples,
    prepare: async ({ options, ctx }) => {
      checkInputFile(options);
      return readInput(options, ctx, inputEncoded ? "ciphertext" : "input", inputEncoded);
    },
    run: async (client, { name, options, ctx, prepared }) => run(client, name, prepared, options, ctx),
  };
}

const ENCRYPT = blockCommand(
  "encrypt",
  "encrypt one block (RSA) or message (AES) with a key",
  [algorithmFlag("RSA1_5, RSA-OAEP, RSA-OAEP-256, A128GCM.., A128CBC.., A128CBCPAD.."), ...AES_FLAGS],
  ["orbitra keys encrypt wrapping -a RSA-OAEP-256 --file dek.bin -o dek.enc", "echo -n hi | orbitra keys encrypt data-key -a A256GCM --json"],
  false,
  async (client, name, input, options, ctx) => {
    const iv = bytesFlag(options.iv, "--iv");
    const aad = bytesFlag(options.aad, "--aad");
    const r = await client.encrypt(name, options.algorithm as EncryptionAlgorithm, input, {
      ...versionOf(options),
      ...(iv ? { iv } : {}),
      ...(aad ? { additionalAuthenticatedData: aad } : {}),
    });
    emit(r, options, ctx, true);
    // Decrypting needs what the vault made; on stderr so that stdout stays the ciphertext.
    const made = [r.iv ? `--iv ${encodeBase64Url(r.iv)}` : "", r.authenticationTag ? `--tag ${encodeBase64Url(r.authenticationTag)}` : ""].filter(Boolean);
    if (!options.json && made.length > 0) ctx.stderr.write(`orbitra: decrypt with ${made.join(" ")}\n`);
  },
);

const DECRYPT = blockCommand(
  "decrypt",
  "decrypt what encrypt made (the plaintext is written raw)",
  [algorithmFlag("the algorithm it was encrypted with"), ...AES_FLAGS, { flags: "--tag <base64url>", description: "AES-GCM: the tag encrypt returned" }],
  ["orbitra keys decrypt wrapping -a RSA-OAEP-256 --file dek.enc -o dek.bin", "orbitra keys decrypt k -a A256GCM --iv IV --tag TAG --file c.bin"],
  true,
  async (client, name, input, options, ctx) => {
    const iv = bytesFlag(options.iv, "--iv");
    const aad = bytesFlag(options.aad, "--aad");
    const tag = bytesFlag(options.tag, "--tag");
    const r = await client.decrypt(name, options.algorithm as EncryptionAlgorithm, input, {
      ...versionOf(options),
      ...(iv ? { iv } : {}),
      ...(aad ? { additionalAuthenticatedData: aad } : {}),
      ...(tag ? { authenticationTag: tag } : {}),
    });
    emit(r, options, ctx, false);
  },
);

const WRAP = blockCommand(
  "wrap",
  "wrap a key (a data key, say) with a vault key",
  [algorithmFlag("RSA1_5, RSA-OAEP, RSA-OAEP-256, A128KW, A192KW or A256KW")],
  ["openssl rand 32 | orbitra keys wrap wrapping -a RSA-OAEP-256 -o dek.wrapped"],
  false,
  async (client, name, input, options, ctx) => emit(await client.wrapKey(name, options.algorithm as EncryptionAlgorithm, input, versionOf(options)), options, ctx, true),
);

const UNWRAP = blockCommand(
  "unwrap",
  "unwrap what wrap made (the key is written raw)",
  [algorithmFlag("the algorithm it was wrapped with")],
  ["orbitra keys unwrap wrapping -a RSA-OAEP-256 --file dek.wrapped -o dek.bin"],
  true,
  async (client, name, input, options, ctx) => emit(await client.unwrapKey(name, options.algorithm as EncryptionAlgorithm, input, versionOf(options)), options, ctx, false),
);

const SIGN_FLAGS: readonly FlagSpec[] = [
  algorithmFlag("RS256.., PS256.., ES256, ES384, ES512, ES256K, HS256.."),
  { flags: "--digest", description: "the input is already the digest (SHA-256/384/512 as the algorithm says)" },
];

/** The data is hashed here as it streams in; only its digest goes to the vault. */
async function digestOrData(options: CryptoOptions, ctx: CliContext) {
  if (options.digest) return { digest: await readInput(options, ctx, "digest") };
  return { data: inputStream(options, ctx, "data to sign") };
}

const SIGN: ObjectCommand<OrbitraKeysClient, CryptoOptions> = {
  kind: KEYS,
  command: "sign",
  summary: "sign data (hashed here) or a digest",
  named: true,
  flags: [...SIGN_FLAGS, VERSION_FLAG, INPUT_FLAG, ...OUTPUT_FLAGS, ENCODING_FLAG],
  examples: ["orbitra keys sign signing -a PS256 --file release.tar.gz -o release.sig", "orbitra keys sign signing -a ES256 --encoding base64url < doc.json"],
  prepare: ({ options }) => {
    checkInputFile(options);
    return undefined;
  },
  run: async (client, { name, options, ctx }) => {
    const input = await digestOrData(options, ctx);
    const alg = options.algorithm as SignatureAlgorithm;
    const r = input.digest ? await client.sign(name, alg, input.digest, versionOf(options)) : await client.signData(name, alg, input.data!, versionOf(options));
    emit(r, options, ctx, true);
  },
};

const VERIFY: ObjectCommand<OrbitraKeysClient, CryptoOptions & { signature: string }, Uint8Array> = {
  kind: KEYS,
  command: "verify",
  summary: "check a signature of data or a digest (exit 1 when it does not verify)",
  named: true,
  flags: [
    ...SIGN_FLAGS,
    { flags: "--signature <file>", description: "the signature (binary, or base64url with --encoding base64url)", required: true },
    VERSION_FLAG,
    INPUT_FLAG,
    ENCODING_FLAG,
  ],
  examples: ["orbitra keys verify signing -a PS256 --signature rel.sig --file rel.tar.gz"],
  prepare: async ({ options, ctx }) => {
    checkInputFile(options);
    if (options.file === undefined && options.signature === "-") throw new UsageError("The signature and the data cannot both come from standard input.");
    return readInput({ ...options, file: options.signature }, ctx, "signature", true);
  },
  run: async (client, { name, options, ctx, prepared: signature }) => {
    const input = await digestOrData(options, ctx);
    const alg = options.algorithm as SignatureAlgorithm;
    const valid = input.digest
      ? await client.verify(name, alg, input.digest, signature, versionOf(options))
      : await client.verifyData(name, alg, input.data!, signature, versionOf(options));
    ctx.stdout.write(options.json ? toJsonLine({ valid }) : valid ? "Signature valid.\n" : "");
    // A script branches on the status: 1, like `openssl dgst -verify`, and one line saying so.
    if (!valid) throw new ExitRequest(EXIT.failure, options.json ? undefined : `the signature does not verify with ${name}.`);
  },
};

const RANDOM: ObjectCommand<OrbitraKeysClient, VaultOptions & IoOptions & { count?: string }, number> = {
  kind: KEYS,
  command: "random",
  summary: "random bytes from the vault's generator (1 to 128)",
  flags: [{ flags: "--count <n>", description: "how many bytes, 1 to 128 (default 32)" }, ...OUTPUT_FLAGS, ENCODING_FLAG],
  examples: ["orbitra keys random --count 16 --encoding base64url", "orbitra keys random -o seed.bin"],
  prepare: ({ options }) => {
    checkInputFile(options);
    const count = Number(options.count ?? "32");
    if (!Number.isInteger(count) || count < 1 || count > 128) throw new UsageError(`--count '${options.count}' is not a whole number from 1 to 128.`);
    return count;
  },
  run: async (client, { options, ctx, prepared: count }) => {
    const bytes = await client.getRandomBytes(count);
    if (options.json) ctx.stdout.write(toJsonLine({ value: encodeBase64Url(bytes) }));
    else writeOutput(bytes, options, ctx);
  },
};

export function registerKeysCryptoCommands(keys: Command, ctx: CliContext): void {
  for (const spec of [ENCRYPT, DECRYPT, SIGN, VERIFY, WRAP, UNWRAP, RANDOM] as ObjectCommand<OrbitraKeysClient, VaultOptions, unknown>[]) addObjectCommand(keys, spec, ctx);
}
