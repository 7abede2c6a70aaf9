import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The newest modification time of a file, or of any file below a folder: is a build older than its inputs? */
export function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}
