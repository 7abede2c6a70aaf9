import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import type BetterSqlite3 from "better-sqlite3";

const require = createRequire(import.meta.url);

/**
 * better-sqlite3, loaded through `require` (no ESM-to-CJS export scan) and pointed straight at
 * its compiled addon, skipping the `bindings` package's search of a dozen paths. Both are on the
 * start-up path of every `local` command.
 */
export const Database = require("better-sqlite3") as typeof BetterSqlite3;

let addonPath: string | null | undefined;

export function nativeBinding(): string | undefined {
  if (addonPath === undefined) {
    try {
      const candidate = require.resolve("better-sqlite3/build/Release/better_sqlite3.node");
      addonPath = existsSync(candidate) ? candidate : null;
    } catch {
      addonPath = null;
    }
  }
  return addonPath ?? undefined;
}
