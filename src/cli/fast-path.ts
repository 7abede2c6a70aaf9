import type { GetOptions } from "./commands/secrets-get.js";

/**
 * The start-up fast path for `orbitra secrets get`, the command scripts call most (often in a loop,
 * or once per variable at container start). Loading commander and building the whole command tree
 * costs about as much as the read itself, so the common, well-formed spellings of `secrets get`
 * are recognised here and run without commander. Everything else (help, unknown or repeated flags,
 * `--`, a value that looks like a flag, combined short flags) returns `undefined` and goes through
 * commander, which then decides exactly as it would have: the fast path only ever accepts argv that
 * commander parses to the same options (checked by test/cli/fast-path.test.ts).
 */
export interface FastGet {
  positional?: string;
  options: GetOptions;
}

const VALUED: Readonly<Record<string, "name" | "environment" | "env" | "keyVault" | "version">> = {
  "--name": "name",
  "-e": "environment",
  "--environment": "environment",
  "--env": "env",
  "--key-vault": "keyVault",
  "--version": "version",
};

export function parseFastGet(argv: readonly string[]): FastGet | undefined {
  const options: GetOptions = {};
  let i = 0;
  // The only root option that may come before the command (root options are positional).
  while (argv[i] === "--debug") {
    options.debug = true;
    i++;
  }
  if (argv[i] !== "secrets" || argv[i + 1] !== "get") return undefined;
  let positional: string | undefined;
  const seen = new Set<string>();
  for (i += 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--json" || arg === "--debug") {
      options[arg === "--json" ? "json" : "debug"] = true;
      continue;
    }
    if (!arg.startsWith("-")) {
      if (positional !== undefined) return undefined; // too many arguments: commander's message
      positional = arg;
      continue;
    }
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const key = VALUED[flag];
    if (key === undefined || seen.has(key)) return undefined;
    seen.add(key);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith("-"))) return undefined;
    options[key] = value;
  }
  return positional === undefined ? { options } : { positional, options };
}
