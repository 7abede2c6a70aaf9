import { readFileSync } from "node:fs";
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
  if (sources.file !== undefined) return new SecretStr(readValueFile(sources.file));
  if (!ctx.stdin.isTTY) {
    const piped = await readAll(ctx.stdin);
    return new SecretStr(sources.keepNewline ? piped : piped.replace(/\r?\n$/, ""));
  }
  const first = await promptHidden("Secret value: ", ctx);
  const second = await promptHidden("Again, to confirm: ", ctx);
  if (first !== second) throw new UsageError("The two entries differ; nothing was written.");
  return new SecretStr(first);
}

function readValueFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new InvalidValueError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}

async function readAll(stream: CliContext["stdin"]): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads a line with echo off. Ctrl-C aborts without writing anything. */
export function promptHidden(question: string, ctx: CliContext): Promise<string> {
  const { stdin, stderr } = ctx;
  return new Promise((resolve, reject) => {
    let entered = "";
    stderr.write(question);
    stdin.setRawMode?.(true);
    stdin.resume();
    const finish = (error?: Error) => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.off("data", onData);
      stderr.write("\n");
      if (error) reject(error);
      else resolve(entered);
    };
    const onData = (data: Buffer | string) => {
      for (const char of String(data)) {
        if (char === "\r" || char === "\n" || char === "\u0004") return finish();
        if (char === "\u0003") return finish(new UsageError("Cancelled; nothing was written."));
        if (char === "\u007f" || char === "\b") entered = entered.slice(0, -1);
        else entered += char;
      }
    };
    stdin.on("data", onData);
  });
}

/** Asks a yes/no question on a terminal; anything but y/yes is no. */
export function confirm(question: string, ctx: CliContext): Promise<boolean> {
  const { stdin, stderr } = ctx;
  return new Promise((resolve) => {
    stderr.write(`${question} [y/N] `);
    stdin.resume();
    stdin.once("data", (data: Buffer | string) => {
      stdin.pause();
      resolve(/^\s*y(es)?\s*$/i.test(String(data)));
    });
  });
}
