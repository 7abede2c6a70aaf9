import type { Readable, Writable } from "node:stream";

/**
 * Everything a command touches outside itself. `main.ts` builds the real one from `process`;
 * tests build their own, so a command runs in-process with captured output and no real exit.
 */
export interface CliContext {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processContext(): CliContext {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // Touching process.stdin sets up a stream (and readline for a TTY): only commands that read it pay.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
  };
}
