import { fstatSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import type { Readable } from "node:stream";

/** Where commands write: a stream, or anything with the same `write` (see {@link FdOutput}). */
export interface Output {
  write(chunk: string | Uint8Array): boolean;
  isTTY?: boolean;
  /** True when some output may still be on its way (queued in a stream): the process must not exit yet. */
  readonly buffered?: boolean;
  /**
   * After a write answered false with output {@link buffered}: resolves true once the queue has
   * gone out, false if the reader went away meanwhile. A writer of a long listing waits on it, so
   * a slow reader holds back the listing instead of the queue growing with it.
   */
  drained?(): Promise<boolean>;
}

/**
 * Everything a command touches outside itself. `main.ts` builds the real one from `process`;
 * tests build their own, so a command runs in-process with captured output and no real exit.
 */
export interface CliContext {
  stdout: Output;
  stderr: Output;
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * Writes straight to a file descriptor. `process.stdout` on a pipe (`$(orbitra secrets get x)`)
 * builds a net.Socket on first touch, about 2.5 ms of a start-up budget of ~12 ms, for output that
 * is one small synchronous write anyway. Falls back to the stream if the descriptor is
 * non-blocking and full (EAGAIN), and from then on keeps to it so the order holds. A reader that
 * went away (EPIPE, e.g. `| head -1`) is not an error worth reporting: the rest is dropped.
 */
export class FdOutput implements Output {
  #tty: boolean | undefined;
  #stream: NodeJS.WriteStream | undefined;
  #closed = false;

  constructor(
    private readonly fd: number,
    private readonly stream: () => NodeJS.WriteStream,
  ) {}

  get isTTY(): boolean {
    return (this.#tty ??= isTerminal(this.fd));
  }

  get buffered(): boolean {
    return this.#stream !== undefined;
  }

  drained(): Promise<boolean> {
    const stream = this.#stream;
    if (!stream?.writableNeedDrain) return Promise.resolve(!this.#closed);
    return new Promise((resolve) => {
      const settle = (open: boolean) => () => {
        stream.off("drain", onDrain).off("close", onGone).off("error", onGone);
        resolve(open);
      };
      const onDrain = settle(true);
      const onGone = settle(false);
      stream.on("drain", onDrain).on("close", onGone).on("error", onGone);
    });
  }

  write(chunk: string | Uint8Array): boolean {
    if (this.#closed) return false;
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    if (this.#stream) return this.#stream.write(bytes);
    let offset = 0;
    try {
      while (offset < bytes.byteLength) offset += writeSync(this.fd, bytes, offset);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EPIPE") {
        this.#closed = true;
        return false;
      }
      if (code !== "EAGAIN") throw error;
      this.#stream = this.stream();
      return this.#stream.write(bytes.subarray(offset));
    }
  }
}

/**
 * isatty(fd), asked of node:tty only when fd is a character device at all: loading node:tty
 * loads net and the streams with it (~2 ms), while the common scripted case, stdout a pipe or
 * a file, is settled by one fstat.
 */
function isTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  const { isatty } = createRequire(import.meta.url)("node:tty") as typeof import("node:tty");
  return isatty(fd);
}

export function processContext(): CliContext {
  return {
    stdout: new FdOutput(1, () => process.stdout),
    stderr: new FdOutput(2, () => process.stderr),
    // Touching process.stdin sets up a stream (and readline for a TTY): only commands that read it pay.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
  };
}
