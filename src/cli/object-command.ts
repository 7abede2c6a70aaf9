import type { OrbitraSettings } from "../settings/model.js";
import { loadSettings } from "../settings/load.js";
import { resolveDefaultEnvironment } from "../settings/resolve.js";
import type { CommandDeclaration, KindWords } from "./command-declaration.js";
import type { CliContext } from "./context.js";
import { toJsonLine } from "./output.js";
import { warnAboutSettings } from "./settings-warnings.js";
import { UsageError } from "./usage-error.js";

/**
 * An object command (`secrets get`, `keys show`, ...): a declaration (command-declaration.ts) plus
 * the client it opens and what it does with it. command-builder.ts adds one to commander; the
 * `secrets get` fast path runs its declaration through {@link runObjectCommand} without commander,
 * so this file must not import commander (types aside).
 */

/** Options every command that talks to a vault shares (the flags are VAULT_FLAGS). */
export interface VaultOptions {
  environment?: string;
  /** `--env`, the spelling `orbitra login/logout/account` use; the same as `--environment`. */
  env?: string;
  keyVault?: string;
  debug?: boolean;
  name?: string;
  json?: boolean;
}

/** What a command asks of a client opener: the vault it resolved from the flags and settings. */
export interface ClientRequest {
  environment: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  settings: OrbitraSettings;
  keyVault?: string;
  /** For commands that write into the vault they read first (import): see getSecretsClient. */
  createLocalVault?: boolean;
}

export interface Closable {
  close(): Promise<void>;
}

/**
 * Opens a client of one kind: getSecretsClient, and the keys and certificates ones beside it. The
 * CLI's kinds load their client layers on the first open (see secrets-kind.ts), hence the promise.
 */
export type ClientOpener<C extends Closable> = (request: ClientRequest) => C | Promise<C>;

/** A kind of object as the CLI names it (`secret`, `orbitra secrets ...`), and how to open its client. */
export interface CliKind<C extends Closable> extends KindWords {
  open: ClientOpener<C>;
}

/** What a command prints: `json` with --json (one line), `text` otherwise. */
export interface CommandOutput {
  json?: unknown;
  text?: string;
}

export interface ObjectCall<O, P> {
  /** The object's name (positional or --name); empty for a command that takes none (`list`). */
  name: string;
  options: O;
  ctx: CliContext;
  /** What {@link ObjectCommand.prepare} returned. */
  prepared: P;
}

export interface ObjectCommand<C extends Closable, O extends VaultOptions = VaultOptions, P = undefined> extends CommandDeclaration {
  kind: CliKind<C>;
  /**
   * Everything that can be refused without the vault, checked before it is opened: nobody should
   * type a secret, or wait for a sign-in, to learn that a flag was wrong.
   */
  prepare?: (call: Omit<ObjectCall<O, P>, "prepared">) => P | Promise<P>;
  /** Does the work with the opened client (closed afterwards whatever happens) and says what to print. */
  run: (client: C, call: ObjectCall<O, P>) => Promise<CommandOutput | void>;
}

/** Runs a declared command on what commander (or the fast path) parsed. */
export async function runObjectCommand<C extends Closable, O extends VaultOptions, P>(
  spec: ObjectCommand<C, O, P>,
  positional: string | undefined,
  options: O,
  ctx: CliContext,
): Promise<void> {
  const name = spec.named === undefined ? "" : nameOf(spec.kind, positional, options);
  const prepared = spec.prepare ? await spec.prepare({ name, options, ctx }) : (undefined as P);
  await withClient(spec.kind.open, options, ctx, async (client) => {
    const output = await spec.run(client, { name, options, ctx, prepared });
    if (output) writeResult(ctx, options, output.json, output.text ?? "");
  });
}

/** Runs `fn` with a client for the chosen vault, and always closes it (the local store holds a file). */
export async function withClient<C extends Closable, T>(
  open: ClientOpener<C>,
  options: VaultOptions,
  ctx: CliContext,
  fn: (client: C) => Promise<T>,
  clientOptions: { createLocalVault?: boolean } = {},
): Promise<T> {
  // Read the settings once: they pick the default environment and then that environment's vault.
  const settings = loadSettings({ cwd: ctx.cwd, env: ctx.env });
  warnAboutSettings(settings, ctx);
  const environment = environmentOf(options) ?? resolveDefaultEnvironment({}, settings);
  const client = await open({
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
export function nameOf(kind: KindWords, positional: string | undefined, options: VaultOptions): string {
  if (positional !== undefined && options.name !== undefined && positional !== options.name) {
    throw new UsageError(`Two different names given ('${positional}' and --name '${options.name}'); give one.`);
  }
  const name = positional ?? options.name;
  if (name === undefined) throw new UsageError(`A ${kind.noun} name is required: orbitra ${kind.group} <command> NAME (or --name NAME).`);
  return name;
}

export function writeResult(ctx: CliContext, options: Pick<VaultOptions, "json">, json: unknown, text: string): void {
  ctx.stdout.write(options.json ? toJsonLine(json) : text);
}
