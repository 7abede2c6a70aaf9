import { Readable, Writable } from "node:stream";
import type { CliContext } from "../../src/cli/context.js";
import { runCli } from "../../src/cli/program.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

class Capture extends Writable {
  text = "";
  isTTY = false;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += String(chunk);
    done();
  }
}

/** Runs the CLI in-process with captured output; `input` is piped stdin (not a terminal). */
export async function cli(args: string[], env: NodeJS.ProcessEnv, options: { input?: string; cwd?: string } = {}): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = Readable.from(options.input === undefined ? [] : [Buffer.from(options.input)]) as CliContext["stdin"];
  stdin.isTTY = false;
  const ctx: CliContext = { stdout, stderr, stdin, env, cwd: options.cwd ?? (env.ORBITRA_HOME as string) };
  const code = await runCli(args, ctx);
  return { code, stdout: stdout.text, stderr: stderr.text };
}
