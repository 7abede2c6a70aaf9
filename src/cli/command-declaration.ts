import type { ObjectKind } from "../core/errors.js";

/**
 * What a command is, as data: its words, flags and examples. command-builder.ts makes a commander
 * command of it; the start-up loader and fast path (fast-path.ts) read the flags of `secrets get`
 * from the same data without loading commander or anything else. So this file imports nothing
 * at run time, and neither may a declaration the loader reads (commands/secrets-get-declaration.ts).
 */

/** One flag, in commander's syntax (`-e, --environment <env>`); commander and the fast path both read it. */
export interface FlagSpec {
  flags: string;
  description: string;
  /** Accepted but left out of --help (an alternative spelling). */
  hidden?: boolean;
  /** Commander refuses the command without it. */
  required?: boolean;
  /** May be given more than once; the values are collected into an array. */
  repeatable?: boolean;
}

/** `-e/--environment`, `--key-vault` and `--json` are the flags of the Python original, kept. */
export const VAULT_FLAGS: readonly FlagSpec[] = [
  { flags: "-e, --environment <env>", description: "environment whose vault to use (default: ORBITRA_ENVIRONMENT, settings, or 'local')" },
  { flags: "--env <env>", description: "same as --environment", hidden: true },
  { flags: "--key-vault <vault>", description: "vault name, https:// vault URL, or local:PATH; overrides the environment's vault" },
  { flags: "--json", description: "machine-readable output on stdout" },
  { flags: "--debug", description: "print stack traces and causes of errors" },
];

/** How the CLI names a kind of object: `secret` in messages, `secrets` as the command group. */
export interface KindWords {
  noun: string;
  group: string;
}

export const KIND_WORDS: Readonly<Record<ObjectKind, KindWords>> = {
  secret: { noun: "secret", group: "secrets" },
  key: { noun: "key", group: "keys" },
  certificate: { noun: "certificate", group: "certs" },
};

export interface CommandDeclaration {
  kind: KindWords;
  command: string;
  summary: string;
  description?: string;
  /** Takes the object's name as `[name]` or `--name`; `nameHelp` replaces the --name flag's help (`secret name`). */
  named?: true | { nameHelp: string };
  /** The command's own flags, shown after `--name` and before {@link VAULT_FLAGS}. */
  flags?: readonly FlagSpec[];
  /** Flags shown after the shared ones. */
  flagsAfter?: readonly FlagSpec[];
  /** Shown under "Example(s):" at the end of --help, one command line each. */
  examples: readonly string[];
}

/** Every flag of a declaration, in --help order: `--name`, its own, the shared ones, the later ones. */
export function flagsOf(spec: CommandDeclaration): FlagSpec[] {
  const named: FlagSpec[] =
    spec.named === undefined ? [] : [{ flags: "--name <name>", description: spec.named === true ? `${spec.kind.noun} name` : spec.named.nameHelp }];
  return [...named, ...(spec.flags ?? []), ...VAULT_FLAGS, ...(spec.flagsAfter ?? [])];
}
