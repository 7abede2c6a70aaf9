import { createReadStream, statSync } from "node:fs";
import { InvalidValueError } from "../../core/errors.js";
import { decodeBase64Url, encodeBase64Url } from "../../crypto/base64url.js";
import type { DataInput } from "../../crypto/data-input.js";
import type { FlagSpec } from "../command-declaration.js";
import type { CliContext } from "../context.js";
import { cannotRead, readUserFile, writePrivateFile } from "../private-file.js";
import { UsageError } from "../usage-error.js";

/**
 * Binary data in and out of `orbitra keys` crypto commands: from --file or piped standard input,
 * to -o FILE (created 0600: plaintext and unwrapped keys are secrets) or standard output, raw or
 * as base64url text. Raw bytes are never sent to a terminal: there base64url is the default.
 */

export type Encoding = "binary" | "base64url";

export interface IoOptions {
  file?: string;
  output?: string;
  force?: boolean;
  encoding?: string;
}

/** The most a single operation's input may be: Key Vault takes small requests; envelopes are for big data. */
const MAX_INPUT_BYTES = 16 * 1024 * 1024;

export const INPUT_FLAG: FlagSpec = { flags: "--file <file>", description: "read the input from this file (default: standard input)" };
export const OUTPUT_FLAGS: readonly FlagSpec[] = [
  { flags: "-o, --output <file>", description: "write the result to this file, created 0600 (default: standard output)" },
  { flags: "--force", description: "overwrite the output file if it exists" },
];
export const ENCODING_FLAG: FlagSpec = {
  flags: "--encoding <encoding>",
  description: "binary or base64url, for the ciphertext, signature or wrapped key read or written (default: binary; base64url on a terminal)",
};

export function encodingOf(options: IoOptions): Encoding | undefined {
  if (options.encoding === undefined) return undefined;
  if (options.encoding !== "binary" && options.encoding !== "base64url") {
    throw new UsageError(`--encoding '${options.encoding}' is not binary or base64url.`);
  }
  return options.encoding;
}

/** Checks before the vault is opened: the input file is readable, the flags make sense. */
export function checkInputFile(options: IoOptions): void {
  encodingOf(options);
  if (options.file === undefined) return;
  let isFile: boolean;
  try {
    isFile = statSync(options.file).isFile();
  } catch (error) {
    throw cannotRead(options.file, error);
  }
  if (!isFile) throw cannotRead(options.file, { code: "EISDIR" });
}

/** All of the input, as bytes; base64url text is decoded when `encoded` (ciphertext, say). */
export async function readInput(options: IoOptions, ctx: CliContext, what: string, encoded = false): Promise<Buffer> {
  const raw = options.file !== undefined ? readUserFile(options.file) : await readStdin(ctx, what);
  if (raw.byteLength > MAX_INPUT_BYTES) {
    throw new InvalidValueError(`The ${what} is over ${MAX_INPUT_BYTES / 1024 / 1024} MiB; one key operation takes small inputs (use an envelope for big data).`);
  }
  if (!encoded || encodingOf(options) !== "base64url") return raw;
  return decodeBase64Url(raw.toString("latin1").trim(), what);
}

/** The input as a stream, for hashing data of any size (sign, verify). */
export function inputStream(options: IoOptions, ctx: CliContext, what: string): DataInput {
  if (options.file !== undefined) return createReadStream(options.file);
  if (ctx.stdin.isTTY) throw new UsageError(`No ${what}: pipe it in, or give --file FILE.`);
  return ctx.stdin as AsyncIterable<Uint8Array>;
}

async function readStdin(ctx: CliContext, what: string): Promise<Buffer> {
  if (ctx.stdin.isTTY) throw new UsageError(`No ${what}: pipe it in, or give --file FILE.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.stdin) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.byteLength;
    // Stop reading rather than hold a huge pipe in memory; readInput says why.
    if (size > MAX_INPUT_BYTES) return Buffer.concat([...chunks, bytes]);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** Writes a result: to -o FILE (0600) or stdout; base64url text when asked, or when stdout is a terminal. */
export function writeOutput(bytes: Uint8Array, options: IoOptions, ctx: CliContext, encodable = true): void {
  const encoding = encodable ? (encodingOf(options) ?? (options.output === undefined && ctx.stdout.isTTY ? "base64url" : "binary")) : "binary";
  const data = encoding === "base64url" ? `${encodeBase64Url(bytes)}\n` : bytes;
  if (options.output !== undefined) writePrivateFile(options.output, data, Boolean(options.force));
  else ctx.stdout.write(data);
}

/** A base64url flag value (--iv, --tag, --aad), decoded strictly. */
export function bytesFlag(value: string | undefined, flag: string): Uint8Array | undefined {
  return value === undefined ? undefined : decodeBase64Url(value, flag);
}
