import { Readable, Writable } from "node:stream";
import type { CliContext } from "../../src/cli/context.js";
import { runCli } from "../../src/cli/program.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Piped standard input; with `terminal`, what the user types (one chunk per keystroke batch). */
  input?: string | string[];
  cwd?: string;
  /** stdin, stdout and stderr are a terminal. */
  terminal?: boolean;
  /** false sends `secrets get` through commander instead of the fast path. */
  fastPath?: boolean;
}

class Capture extends Writable {
  text = "";
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += String(chunk);
    done();
  }
}

/** Runs the CLI in-process with captured output; by default stdin is piped (not a terminal). */
export async function cli(args: string[], env: NodeJS.ProcessEnv, options: CliOptions = {}): Promise<CliResult> {
  const terminal = options.terminal ?? false;
  const stdout = new Capture(terminal);
  const stderr = new Capture(terminal);
  const chunks = options.input === undefined ? [] : typeof options.input === "string" ? [options.input] : options.input;
  const stdin = Readable.from(chunks.map((c) => Buffer.from(c))) as CliContext["stdin"];
  stdin.isTTY = terminal;
  if (terminal) stdin.setRawMode = () => stdin;
  const ctx: CliContext = { stdout, stderr, stdin, env, cwd: options.cwd ?? (env.ORBITRA_HOME as string) };
  const code = await runCli(args, ctx, options.fastPath === undefined ? {} : { fastPath: options.fastPath });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
