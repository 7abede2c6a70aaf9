import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { InternalError } from "../core/errors.js";

/**
 * orbitra's version, from its own package.json: the nearest one above `from` that names the
 * package `orbitra`. Walking up rather than a fixed `../../package.json` makes it the same from
 * src/cli (tsx), dist/cli (tsc) and dist/bin (the bundle), whatever their depth; a package.json
 * of another package on the way (a `{"type": ...}` marker, a workspace) is passed over.
 */
export function packageVersion(from: string = import.meta.url): string {
  let dir = dirname(from.startsWith("file:") ? fileURLToPath(from) : from);
  for (;;) {
    const pkg = readPackage(join(dir, "package.json"));
    if (pkg?.name === "orbitra" && typeof pkg.version === "string") return pkg.version;
    const parent = dirname(dir);
    if (parent === dir) throw new InternalError(`No package.json of orbitra above ${from}; the installation is incomplete.`);
    dir = parent;
  }
}

function readPackage(file: string): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as { name?: unknown; version?: unknown };
  } catch {
    return undefined; // none here (or unreadable): look further up
  }
}
