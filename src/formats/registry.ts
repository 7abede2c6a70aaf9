import type { Entries, ParsedEntries } from "./entries.js";
import { formatDocker, parseDocker } from "./docker.js";
import { formatDotenv, parseDotenv, type DotenvFormatOptions } from "./dotenv.js";
import { formatJson, parseJson } from "./json.js";
import { formatShell, parseShell } from "./shell.js";

export type FormatName = "dotenv" | "json" | "shell" | "docker";

/** One file format, for a CLI that picks it by name (`--format dotenv`). */
export interface SecretsFormat {
  readonly name: FormatName;
  /** Whether names must be variable names (`DB_PASSWORD`); json takes any name. */
  readonly envNames: boolean;
  format(entries: Entries, options?: DotenvFormatOptions): string;
  parse(text: string): ParsedEntries;
}

export const FORMATS: Readonly<Record<FormatName, SecretsFormat>> = Object.freeze({
  dotenv: { name: "dotenv", envNames: true, format: formatDotenv, parse: parseDotenv },
  json: { name: "json", envNames: false, format: formatJson, parse: parseJson },
  shell: { name: "shell", envNames: true, format: formatShell, parse: parseShell },
  docker: { name: "docker", envNames: true, format: formatDocker, parse: parseDocker },
});

/** True when `name` is one of {@link FORMATS}. */
export function isFormatName(name: string): name is FormatName {
  return Object.prototype.hasOwnProperty.call(FORMATS, name);
}

