import { flagsOf, type FlagSpec } from "./command-declaration.js";
import { GET_DECLARATION } from "./commands/secrets-get-declaration.js";
import type { GetOptions } from "./commands/secrets-get.js";

/**
 * The start-up fast path for `orbitra secrets get`, the command scripts call most (often in a loop,
 * or once per variable at container start). Loading commander and building the whole command tree
 * costs about as much as the read itself, so the common, well-formed spellings of `secrets get`
 * are recognised here and run without commander. Everything else (help, unknown or repeated flags,
 * `--`, a value that looks like a flag, combined short flags) returns `undefined` and goes through
 * commander, which then decides exactly as it would have: the fast path only ever accepts argv that
 * commander parses to the same options (checked by test/cli/fast-path.test.ts).
 *
 * The flags are read from GET_DECLARATION, which commander's `secrets get` is built from too, so
 * the two cannot drift apart. The loader (startup-loader.ts) runs this to pick a bundle, so it
 * imports the declaration alone.
 */
export interface FastGet {
  positional?: string;
  options: GetOptions;
}

/** A flag the fast path takes: the option it sets, and whether it takes a value. */
export interface FastFlag {
  key: string;
  valued: boolean;
}

/**
 * The flags of a declaration as `--long` / `-s` to what they set, parsed as commander parses
 * them (`-e, --environment <env>` sets `environment`). Only plain flags: one that is repeatable,
 * required, negated or takes an optional value is left out, so argv with it goes to commander.
 */
export function fastFlags(flags: readonly FlagSpec[]): Map<string, FastFlag> {
  const table = new Map<string, FastFlag>();
  for (const spec of flags) {
    const words = spec.flags.split(/[ |,]+/);
    const long = words.find((w) => w.startsWith("--"));
    const short = words.find((w) => /^-[^-]$/.test(w));
    const value = words.find((w) => w.startsWith("<") || w.startsWith("["));
    if (!long || spec.repeatable || spec.required || long.startsWith("--no-") || value?.startsWith("[")) continue;
    const flag = { key: camelCase(long.slice(2)), valued: value !== undefined };
    table.set(long, flag);
    if (short) table.set(short, flag);
  }
  return table;
}

function camelCase(words: string): string {
  return words.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** The flags `secrets get` takes on the fast path (exported for the test that compares them with commander's). */
export const GET_FLAGS: ReadonlyMap<string, FastFlag> = fastFlags(flagsOf(GET_DECLARATION));

export function parseFastGet(argv: readonly string[]): FastGet | undefined {
  const options: Record<string, string | boolean> = {};
  let i = 0;
  // The only root option that may come before the command (root options are positional).
  while (argv[i] === "--debug") {
    options.debug = true;
    i++;
  }
  if (argv[i] !== GET_DECLARATION.kind.group || argv[i + 1] !== GET_DECLARATION.command) return undefined;
  let positional: string | undefined;
  const seen = new Set<string>();
  for (i += 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("-")) {
      if (positional !== undefined) return undefined; // too many arguments: commander's message
      positional = arg;
      continue;
    }
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = GET_FLAGS.get(eq > 0 ? arg.slice(0, eq) : arg);
    if (flag === undefined) return undefined;
    if (!flag.valued) {
      if (eq > 0) return undefined; // `--json=yes`: commander's message
      options[flag.key] = true; // a switch given twice is still on, as in commander
      continue;
    }
    if (seen.has(flag.key)) return undefined; // repeated: commander's last-wins, or its message
    seen.add(flag.key);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith("-"))) return undefined;
    options[flag.key] = value;
  }
  const parsed = options as GetOptions;
  return positional === undefined ? { options: parsed } : { positional, options: parsed };
}
