import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import BetterSqlite3 from "better-sqlite3";

const require = createRequire(import.meta.url);

/**
 * better-sqlite3, imported statically so that the CLI bundles carry its JavaScript (compiled from
 * the start-up code cache with the rest, instead of a dozen files resolved and compiled one by
 * one), and pointed straight at its compiled addon by {@link nativeBinding}, skipping the
 * `bindings` package's search of a dozen paths. Both are on the start-up path of every `local` command.
 */
export const Database: typeof BetterSqlite3 = BetterSqlite3;

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
