import { closeSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { InvalidValueError } from "../core/errors.js";
import { LIMITS } from "../core/rules.js";
import { SecretStr } from "../core/secret-str.js";
import type { CliContext } from "./context.js";
import { EXIT } from "./exit-codes.js";
import { ExitRequest } from "./exit-request.js";
import { cannotRead } from "./private-file.js";
import { UsageError } from "./usage-error.js";

export interface ValueSources {
  value?: string;
  file?: string;
  keepNewline?: boolean;
}

/**
 * Where `secrets set` takes the value from, safest first: a file, stdin when it is piped, a hidden
 * prompt on a terminal. `--value` works (the original had it) but puts the value in shell history
 * and the process list, so it warns.
 *
 * Piped input loses exactly one trailing newline (`\n` or `\r\n`), since `echo x |` and here-strings
 * add one that is not part of the secret; `--keep-newline` keeps it. Files are taken byte for byte.
 * Bytes must be UTF-8 (a secret is a string; binary would be silently mangled, so it is refused), a
 * byte-order mark included is kept. Empty piped input or an empty prompt entry is refused: it is
 * nearly always a script that forgot to pipe the value (stdin at /dev/null), not a wanted secret;
 * `--file` of an empty file says so on purpose.
 */
export async function readSecretValue(sources: ValueSources, ctx: CliContext): Promise<SecretStr> {
  const given = [sources.value !== undefined, sources.file !== undefined].filter(Boolean).length;
  if (given > 1) throw new UsageError("Give the value one way only: --file, --value, or standard input.");
  if (sources.value !== undefined) {
    ctx.stderr.write(
      "orbitra: warning: --value puts the secret in your shell history and the process list; prefer stdin, --file, or the prompt.\n",
    );
    return new SecretStr(sources.value);
  }
  if (sources.file !== undefined) return new SecretStr(decodeUtf8(readValueFile(sources.file), sources.file));
  if (!ctx.stdin.isTTY) {
    const piped = decodeUtf8(await readPiped(ctx.stdin), "standard input");
    const value = sources.keepNewline ? piped : piped.replace(/\r?\n$/, "");
    if (value === "") {
      throw new UsageError(
        "Standard input was empty; nothing was written. Pipe the value in, use --file PATH, or run in a terminal to be prompted.",
      );
    }
    return new SecretStr(value);
  }
  const first = await promptHidden("Secret value: ", ctx);
  if (first === "") throw new UsageError("Empty value; nothing was written. Use --file PATH for an empty secret on purpose.");
  const second = await promptHidden("Again, to confirm: ", ctx);
  if (first !== second) throw new UsageError("The two entries differ; nothing was written.");
  return new SecretStr(first);
}

/**
 * No more is read than a secret can hold (plus the newline piped input loses): a value over the
 * limit is refused either way, and reading a 1 GB pipe or file whole first would cost gigabytes.
 */
const READ_LIMIT = LIMITS.valueMaxBytes + 2;

function tooLarge(source: string): InvalidValueError {
  return new InvalidValueError(
    `${source} holds more than ${LIMITS.valueMaxBytes} bytes (25 KB), Key Vault's limit for a secret's value; reading stopped there and nothing was written. Store large data elsewhere and keep a reference (a URL, a path) in the secret.`,
  );
}

function readValueFile(file: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (error) {
    throw cannotRead(file, error);
  }
  try {
    // Taken byte for byte, so one byte past the limit is already too much.
    const buffer = Buffer.alloc(LIMITS.valueMaxBytes + 1);
    let size = 0;
    for (let n = 1; n > 0 && size < buffer.length; size += n) n = readSync(fd, buffer, size, buffer.length - size, null);
    if (size > LIMITS.valueMaxBytes) throw tooLarge(file);
    return buffer.subarray(0, size);
  } catch (error) {
    if (error instanceof InvalidValueError) throw error;
    throw cannotRead(file, error);
  } finally {
    closeSync(fd);
  }
}

/** Strict UTF-8, byte-order mark kept: the value stored is exactly the bytes given. */
export function decodeUtf8(bytes: Uint8Array, source: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new InvalidValueError(
      `${source} is not UTF-8 text, and a secret's value is a string. Encode binary data first, e.g. base64 < FILE | orbitra secrets set NAME.`,
    );
  }
}

/** Stdin up to the limit; leaving the loop early (the throw) destroys the stream, so no more is read. */
async function readPiped(stream: CliContext["stdin"]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.length;
    if (size > READ_LIMIT) throw tooLarge("Standard input");
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** Reads a line with echo off. Ctrl-C aborts without writing anything. */
export function promptHidden(question: string, ctx: CliContext): Promise<string> {
  const { stdin, stderr } = ctx;
  return new Promise((resolve, reject) => {
    let entered = "";
    const decoder = new StringDecoder("utf8"); // a character may be split across chunks
    stderr.write(question);
    stdin.setRawMode?.(true);
    stdin.resume();
    const finish = (error?: Error | ExitRequest) => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      stderr.write("\n");
      if (error) reject(error);
      else resolve(entered);
    };
    const onData = (data: Buffer | string) => {
      const chars = [...(typeof data === "string" ? data : decoder.write(data))];
      for (const [i, char] of chars.entries()) {
        if (char === "\r" || char === "\n" || char === "\u0004") {
          // A paste of both entries at once: what follows the Enter belongs to the next prompt.
          const rest = chars.slice(i + 1).join("").replace(/^\n/, "");
          finish(); // detaches and pauses first, so the pushed-back rest waits for the next reader
          if (rest) stdin.unshift(Buffer.from(rest));
          return;
        }
        if (char === "\u0003") return finish(new ExitRequest(EXIT.interrupted, "Cancelled; nothing was written."));
        if (char === "\u007f" || char === "\b") entered = entered.slice(0, -1);
        else entered += char;
      }
    };
    const onEnd = () => finish(new UsageError("Input ended before Enter; nothing was written."));
    stdin.on("data", onData);
    stdin.once("end", onEnd);
  });
}

/** Asks a yes/no question on a terminal; anything but y/yes is no. */
export function confirm(question: string, ctx: CliContext): Promise<boolean> {
  const { stdin, stderr } = ctx;
  return new Promise((resolve) => {
    stderr.write(`${question} [y/N] `);
    stdin.resume();
    const onEnd = () => resolve(false); // Ctrl-D: no
    stdin.once("end", onEnd);
    stdin.once("data", (data: Buffer | string) => {
      stdin.pause();
      stdin.off("end", onEnd);
      resolve(/^\s*y(es)?\s*$/i.test(String(data)));
    });
  });
}
