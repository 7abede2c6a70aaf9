import type { Command } from "commander";
import { getSecretsClient } from "../client/get-secrets-client.js";
import type { OrbitraSecretsClient } from "../client/secrets-client.js";
import { InvalidValueError } from "../core/errors.js";
import { loadSettings } from "../settings/load.js";
import { resolveDefaultEnvironment } from "../settings/resolve.js";
import type { CliContext } from "./context.js";
import { warnAboutSettings } from "./settings-warnings.js";
import { toJsonLine } from "./output.js";
import { UsageError } from "./usage-error.js";

/** Options every `secrets` command shares. */
export interface VaultOptions {
  environment?: string;
  /** `--env`, the spelling `orbitra login/logout/account` use; the same as `--environment`. */
  env?: string;
  keyVault?: string;
  debug?: boolean;
  name?: string;
  json?: boolean;
}

/** Adds `-e/--environment`, `--key-vault` and `--json`: the flags of the Python original, kept. */
export function withVaultOptions(command: Command): Command {
  return command
    .option("-e, --environment <env>", "environment whose vault to use (default: ORBITRA_ENVIRONMENT, settings, or 'local')")
    // createOption, not `new Option`: this file is on the fast path and must not load commander.
    .addOption(command.createOption("--env <env>", "same as --environment").hideHelp())
    .option("--key-vault <vault>", "vault name, https:// vault URL, or local:PATH; overrides the environment's vault")
    .option("--json", "machine-readable output on stdout")
    .option("--debug", "print stack traces and causes of errors");
}

/** Runs `fn` with a client for the chosen vault, and always closes it (the local store holds a file). */
export async function withClient<T>(
  options: VaultOptions,
  ctx: CliContext,
  fn: (client: OrbitraSecretsClient) => Promise<T>,
  /** For commands that write into the vault they read first (import): see createLocalVault. */
  clientOptions: { createLocalVault?: boolean } = {},
): Promise<T> {
  // Read the settings once: they pick the default environment and then that environment's vault.
  const settings = loadSettings({ cwd: ctx.cwd, env: ctx.env });
  warnAboutSettings(settings, ctx);
  const environment = environmentOf(options) ?? resolveDefaultEnvironment({}, settings);
  const client = getSecretsClient({
    environment,
    cwd: ctx.cwd,
    env: ctx.env,
    settings,
    ...clientOptions,
    ...(options.keyVault ? { keyVault: options.keyVault } : {}),
  });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

export function environmentOf(options: VaultOptions): string | undefined {
  if (options.environment !== undefined && options.env !== undefined && options.environment !== options.env) {
    throw new UsageError(`Two different environments given ('${options.environment}' and --env '${options.env}'); give one.`);
  }
  return options.environment ?? options.env;
}

/** The name may be positional (`get db-password`) or `--name` as in the original; not both, differently. */
export function nameOf(positional: string | undefined, options: VaultOptions): string {
  if (positional !== undefined && options.name !== undefined && positional !== options.name) {
    throw new UsageError(`Two different names given ('${positional}' and --name '${options.name}'); give one.`);
  }
  const name = positional ?? options.name;
  if (name === undefined) throw new UsageError("A secret name is required: orbitra secrets <command> NAME (or --name NAME).");
  return name;
}

export function writeResult(ctx: CliContext, options: VaultOptions, json: unknown, text: string): void {
  ctx.stdout.write(options.json ? toJsonLine(json) : text);
}

/** `k=v` pairs from repeated `--tag` flags into a tags object. */
export function parseTags(pairs: string[] | undefined): Record<string, string> | undefined {
  if (!pairs) return undefined;
  const tags: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new UsageError(`Tag '${pair}' is not NAME=VALUE.`);
    tags[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return tags;
}

export function parseDate(text: string | undefined, flag: string): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new InvalidValueError(`${flag} '${text}' is not a date; use ISO 8601, e.g. 2027-01-31 or 2027-01-31T12:00:00Z.`);
  }
  return date;
}

/** Commander collects a repeatable option into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
