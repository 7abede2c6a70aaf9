import { readFileSync } from "node:fs";
import { ConfigurationError } from "../core/errors.js";
import type { SecretStr } from "../core/secret-str.js";
import { fromEnvName } from "../formats/env-names.js";
import { FORMATS, type FormatName } from "../formats/registry.js";
import type { SeedSpec } from "../server/seed.js";

/**
 * A seed from a file in one of `orbitra secrets export`'s formats: `.json` (names as keys, or a
 * whole {@link SeedSpec} with a `secrets` member), `.sh` (shell), anything else dotenv (a docker
 * env-file reads as dotenv). Variable names map back to secret names (`DB_PASSWORD` -> `db-password`).
 */
export function readSeedFile(path: string): SeedSpec {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigurationError(`Cannot read the seed file ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}.`);
  }
  return parseSeed(text, path.endsWith(".json") ? "json" : path.endsWith(".sh") ? "shell" : "dotenv");
}

export function parseSeed(text: string, formatName: FormatName): SeedSpec {
  if (formatName === "json") {
    const whole = tryJson(text);
    if (typeof whole === "object" && whole !== null && typeof (whole as SeedSpec).secrets === "object") return whole as SeedSpec;
  }
  const format = FORMATS[formatName];
  const secrets: Record<string, SecretStr> = {};
  for (const [key, value] of format.parse(text)) {
    const name = format.envNames ? fromEnvName(key) : key;
    if (name !== undefined) secrets[name] = value;
  }
  return { secrets };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
