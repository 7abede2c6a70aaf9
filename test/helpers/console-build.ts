import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error: a plain .mjs build script without types
import { buildConsole } from "../../scripts/bundle-console.mjs";

let built: Promise<string> | undefined;

/** The console built once per test process into a temp folder: tests never serve a stale dist/. */
export function consoleDir(): Promise<string> {
  built ??= buildConsole(mkdtempSync(join(tmpdir(), "orbitra-console-"))) as Promise<string>;
  return built;
}
