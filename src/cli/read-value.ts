import { readFileSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { InvalidValueError } from "../core/errors.js";
import { SecretStr } from "../core/secret-str.js";
import type { CliContext } from "./context.js";
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
    const piped = decodeUtf8(await readAll(ctx.stdin), "standard input");
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

function readValueFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new InvalidValueError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
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

async function readAll(stream: CliContext["stdin"]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
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
    const finish = (error?: Error) => {
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
        if (char === "\u0003") return finish(new UsageError("Cancelled; nothing was written."));
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
