import { InvalidNameError } from "../core/errors.js";
import { printable } from "../core/printable.js";
import { isValidName } from "../core/rules.js";

/**
 * Secret names <-> environment variable names.
 *
 * The mapping (documented contract, relied on by `orbitra run`, `export` and `import`):
 *
 * - to a variable: upper-case every letter and write `-` as `_`: `db-password` -> `DB_PASSWORD`.
 *   With a prefix, the prefix goes first as given: `APP_` + `db-password` -> `APP_DB_PASSWORD`.
 * - A variable may not start with a digit. Without a prefix, a name whose mapped form starts
 *   with a digit or with `_`s then a digit (`1password`, `-1x`) gets one extra `_` in front:
 *   `1password` -> `_1PASSWORD`, `-1x` -> `__1X`. With a prefix nothing is added.
 * - back to a secret name: strip the prefix (a variable without it is not ours), drop that one
 *   extra `_` (prefix-less only, when `_`s then a digit follow), lower-case, and write `_` as `-`.
 *
 * Secret names cannot hold `_` and Key Vault compares names case-insensitively, so the mapping is
 * reversible up to letter case, which Key Vault ignores: `fromEnvName(toEnvName(n))` names the
 * same secret as `n`. Two inputs can still land on one output (`db-password` and `DB-PASSWORD` as
 * variables, `DB_PASSWORD` and `db_password` as secret names); {@link mapSecretNamesToEnv} and
 * {@link mapEnvNamesToSecrets} report every such collision at once.
 */
export interface EnvNameOptions {
  /** Prepended to every variable (e.g. `APP_`); must itself be a valid variable name. */
  prefix?: string;
}

/** What a portable variable name looks like (POSIX: letters, digits, `_`, no leading digit). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DIGIT_AFTER_UNDERSCORES = /^_*[0-9]/;

/** True when `name` is a portable environment variable name. */
export function isValidEnvName(name: string): boolean {
  return ENV_NAME.test(name);
}

/** The variable for a secret: `db-password` -> `DB_PASSWORD` (see the module comment for the rules). */
export function toEnvName(secretName: string, options: EnvNameOptions = {}): string {
  if (!isValidName(secretName)) {
    throw new InvalidNameError(`'${clip(secretName)}' is not a secret name (1-127 of 0-9, a-z, A-Z and -).`);
  }
  const prefix = checkedPrefix(options.prefix);
  const mapped = secretName.toUpperCase().replace(/-/g, "_");
  if (prefix) return prefix + mapped;
  return DIGIT_AFTER_UNDERSCORES.test(mapped) ? `_${mapped}` : mapped;
}

/**
 * The secret a variable stands for: `DB_PASSWORD` -> `db-password`; `undefined` when the variable
 * does not carry the prefix. Throws `InvalidNameError` when what remains is not a secret name.
 */
export function fromEnvName(envName: string, options: EnvNameOptions = {}): string | undefined {
  const prefix = checkedPrefix(options.prefix);
  if (!envName.startsWith(prefix)) return undefined;
  let rest = envName.slice(prefix.length);
  if (!prefix && /^_+[0-9]/.test(rest)) rest = rest.slice(1);
  const secretName = rest.toLowerCase().replace(/_/g, "-");
  if (!isValidName(secretName) || !/^[A-Za-z0-9_]*$/.test(rest)) {
    throw new InvalidNameError(
      `Variable '${clip(envName)}' does not map to a secret name: after the prefix it must be letters, digits and '_' (1-127).`,
    );
  }
  return secretName;
}

/** Several inputs that would become the same output. */
export interface NameCollision {
  /** The shared output name. */
  target: string;
  /** The inputs that map to it, in input order. */
  sources: string[];
}

/** Thrown when a mapping is not one-to-one; `collisions` lists every clash, never a value. */
export class EnvNameCollisionError extends InvalidNameError {
  readonly collisions: readonly NameCollision[];

  constructor(what: string, collisions: readonly NameCollision[]) {
    const list = collisions.map((c) => `${c.sources.join(", ")} -> ${c.target}`).join("; ");
    super(`${collisions.length} ${what} would share a name: ${list}. Rename or leave out all but one of each.`);
    this.collisions = collisions;
  }
}

/**
 * Maps secret names to variables, keyed by secret name, in input order. Exact duplicates are
 * folded; different names that land on one variable (`db-password`, `DB-PASSWORD`) throw
 * {@link EnvNameCollisionError} listing every collision.
 */
export function mapSecretNamesToEnv(secretNames: Iterable<string>, options: EnvNameOptions = {}): Map<string, string> {
  const mapping = new Map<string, string>();
  for (const name of secretNames) mapping.set(name, toEnvName(name, options));
  throwOnCollisions(mapping, "secrets");
  return mapping;
}

/**
 * Maps variables to secret names, keyed by variable, in input order; variables without the prefix
 * are left out. Variables that land on one secret (`DB_PASSWORD`, `db_password`) throw
 * {@link EnvNameCollisionError} listing every collision.
 */
export function mapEnvNamesToSecrets(envNames: Iterable<string>, options: EnvNameOptions = {}): Map<string, string> {
  const mapping = new Map<string, string>();
  for (const envName of envNames) {
    const secretName = fromEnvName(envName, options);
    if (secretName !== undefined) mapping.set(envName, secretName);
  }
  throwOnCollisions(mapping, "variables");
  return mapping;
}

/** Every output name reached from more than one distinct input (secret names compare case-insensitively). */
export function findCollisions(mapping: ReadonlyMap<string, string>): NameCollision[] {
  const byTarget = new Map<string, string[]>();
  for (const [source, target] of mapping) {
    const key = target.toLowerCase();
    const list = byTarget.get(key);
    if (list) list.push(source);
    else byTarget.set(key, [source]);
  }
  const collisions: NameCollision[] = [];
  for (const sources of byTarget.values()) {
    if (sources.length > 1) collisions.push({ target: mapping.get(sources[0]!)!, sources });
  }
  return collisions;
}

function throwOnCollisions(mapping: ReadonlyMap<string, string>, what: string): void {
  const collisions = findCollisions(mapping);
  if (collisions.length > 0) throw new EnvNameCollisionError(what, collisions);
}

function checkedPrefix(prefix: string | undefined): string {
  if (prefix === undefined || prefix === "") return "";
  if (!ENV_NAME.test(prefix)) {
    throw new InvalidNameError(`Prefix '${clip(prefix)}' is not a variable name (letters, digits and '_', not starting with a digit).`);
  }
  return prefix;
}

const clip = (text: string): string => printable(text);
