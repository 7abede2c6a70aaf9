import type { CliContext } from "./context.js";

/**
 * A one-line counter on stderr for bulk work, only on a terminal and only once it has taken
 * more than a moment; scripts and logs see nothing.
 */
export function progress(ctx: CliContext, label: string): { onProgress: (done: number, total: number) => void; end: () => void } {
  const started = Date.now();
  let shown = false;
  return {
    onProgress(done, total) {
      if (!ctx.stderr.isTTY || Date.now() - started < 300) return;
      shown = true;
      ctx.stderr.write(`\r${label} ${done}/${total}`);
    },
    end() {
      if (shown) ctx.stderr.write("\r\u001b[K");
    },
  };
}
