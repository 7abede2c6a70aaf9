import { renameSync, writeFileSync } from "node:fs";

/**
 * Writes a whole file or nothing: a reader (or a crash) never sees half of it. The temporary file
 * is created with `mode`, so secret material is never readable by others, not even for a moment.
 */
export function writeFileAtomically(file: string, text: string, mode: number): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode });
  renameSync(temp, file);
}
