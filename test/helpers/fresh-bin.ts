import { execFileSync } from "node:child_process";
import { existsSync, openSync, closeSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { newestMtime } from "./mtimes.js";

const root = join(import.meta.dirname, "..", "..");
/** The bundled bin, as users run it. */
export const BIN = join(root, "dist", "bin", "orbitra.cjs");
const LOCK = join(root, "dist", "bin", ".rebuilding");

/**
 * The bundled bin, rebuilt first when any source is newer than it, so tests of the bin never run
 * a stale dist/ (only the esbuild bundles: the bin needs nothing else, and it takes about a second).
 * Undefined when dist/ was never built: callers fall back to the sources or skip. Two test files
 * may ask at once: one rebuilds under a lock file, the other waits for it.
 */
export function freshBin(): string | undefined {
  if (!existsSync(BIN)) return undefined;
  if (!isStale()) return BIN;
  let fd: number | undefined;
  try {
    fd = openSync(LOCK, "wx");
  } catch {
    while (existsSync(LOCK)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    return BIN;
  }
  try {
    execFileSync(process.execPath, [join(root, "scripts", "bundle-cli.mjs")], { cwd: root, stdio: "inherit" });
  } finally {
    closeSync(fd);
    unlinkSync(LOCK);
  }
  return BIN;
}

function isStale(): boolean {
  const built = statSync(BIN).mtimeMs;
  return newestMtime(join(root, "src")) > built || newestMtime(join(root, "package.json")) > built;
}
