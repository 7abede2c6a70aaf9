import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomically } from "../core/atomic-file.js";
import { ConfigurationError } from "../core/errors.js";
import { isProcessAlive } from "../core/process-alive.js";

/**
 * A file a running `vault serve` leaves in its data folder (0600) for the commands that talk to it
 * from another shell, removed when it stops. One left by a server that died (its pid gone) counts
 * as none, so a stale port or token is never handed out.
 */
export function serverStateFile<T extends { pid: number }>(name: string, fits: (state: Partial<T>) => boolean, running: string) {
  return {
    /** Returns the function that removes it again. */
    write(dataDir: string, state: T): () => void {
      const file = join(dataDir, name);
      writeFileAtomically(file, JSON.stringify(state) + "\n", 0o600);
      return () => rmSync(file, { force: true });
    },
    read(dataDir: string): T {
      let state: Partial<T> | undefined;
      try {
        state = JSON.parse(readFileSync(join(dataDir, name), "utf8")) as Partial<T>;
      } catch {
        state = undefined;
      }
      if (!state || typeof state !== "object" || !Number.isInteger(state.pid) || !fits(state) || !isProcessAlive(state.pid!)) {
        throw new ConfigurationError(`No ${running} is running on ${dataDir}: start one (same --data), then run this again.`);
      }
      return state as T;
    },
  };
}
