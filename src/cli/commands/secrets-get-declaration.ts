import { KIND_WORDS, type CommandDeclaration } from "../command-declaration.js";

/**
 * `secrets get` as data. The commander command (secrets-read.ts) and the start-up fast path's flag
 * table (fast-path.ts) are both made from it, so the two accept the same flags. The start-up
 * loader reads it too, so it imports nothing but the declaration types and words.
 */
export const GET_DECLARATION: CommandDeclaration = {
  kind: KIND_WORDS.secret,
  command: "get",
  summary: "print a secret's value",
  description:
    "Writes the raw value of the latest (or a given) version to stdout, with a newline only on a terminal. " +
    "Besides `secrets export` (to stdout without -o), the only command that prints a value.",
  named: { nameHelp: "secret name (alternative to the argument)" },
  flags: [{ flags: "--version <version>", description: "a specific version (32 hex characters)" }],
  examples: ["orbitra secrets get db-password", "orbitra secrets get db-password -e prod > /run/secrets/db", "DB_PASSWORD=$(orbitra secrets get db-password)"],
};
