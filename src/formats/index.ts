/**
 * Secrets as files: dotenv, json, shell and docker env-file, plus the secret-name <-> variable-name
 * mapping. Depends on `core/` only. Every formatter takes `[name, value]` pairs (a `Map` from
 * `getSecrets` fits) and reveals values only into the text it returns; every parser returns
 * values as `SecretStr`. Errors name the variable and never the value.
 */
export { FORMATS, isFormatName } from "./registry.js";
export type { FormatName, SecretsFormat } from "./registry.js";
export { formatDotenv, parseDotenv, dotenvQuoting } from "./dotenv.js";
export type { DotenvFormatOptions, DotenvQuoting } from "./dotenv.js";
export { formatJson, parseJson } from "./json.js";
export { formatShell, parseShell, shellQuote } from "./shell.js";
export { formatDocker, parseDocker, dockerCannotCarry } from "./docker.js";
export {
  toEnvName,
  fromEnvName,
  isValidEnvName,
  mapSecretNamesToEnv,
  mapEnvNamesToSecrets,
  findCollisions,
  EnvNameCollisionError,
} from "./env-names.js";
export type { EnvNameOptions, NameCollision } from "./env-names.js";
export type { Entries, EntryValue, ParsedEntries } from "./entries.js";
