import { InvalidValueError } from "../core/errors.js";
import { assertValidName, assertValidValue } from "../core/rules.js";
import type { SecretStr } from "../core/secret-str.js";
import type { SetSecretOptions } from "../core/types.js";
import { assertValidAttributes } from "../core/validate-options.js";
import type { LocalVault } from "../store/local-vault.js";

/** A moment as a seed file or a test writes it: a Date, ms since the epoch, or ISO 8601 text. */
export type SeedDate = Date | number | string;

export interface SeedSecret {
  value: string | SecretStr;
  contentType?: string;
  tags?: Record<string, string>;
  enabled?: boolean;
  expiresOn?: SeedDate;
  notBefore?: SeedDate;
}

/** What `seed()`, `POST /_orbitra/seed` and `vault serve --seed` accept. */
export interface SeedSpec {
  secrets?: Record<string, string | SecretStr | SeedSecret>;
}

interface Planned {
  name: string;
  value: string | SecretStr;
  options: SetSecretOptions;
}

/**
 * Writes every secret of `spec` (a new version each, as `setSecret` does). All names, values and
 * attributes are checked before the first write, so a bad entry leaves the vault untouched.
 * Returns the names written.
 */
export function seedVault(store: LocalVault, spec: SeedSpec): string[] {
  if (typeof spec !== "object" || spec === null || (spec.secrets !== undefined && (typeof spec.secrets !== "object" || spec.secrets === null))) {
    throw new InvalidValueError("A seed is { secrets: { name: value | { value, contentType, tags, enabled, expiresOn, notBefore } } }.");
  }
  const planned: Planned[] = Object.entries(spec.secrets ?? {}).map(([name, entry]) => plan(name, entry));
  for (const item of planned) store.setSecret(item.name, item.value, item.options);
  return planned.map((item) => item.name);
}

function plan(name: string, entry: string | SecretStr | SeedSecret): Planned {
  assertValidName(name);
  const detailed = typeof entry === "object" && entry !== null && "value" in entry;
  const value = detailed ? entry.value : entry;
  const plain = typeof value === "string" ? value : (value as SecretStr | null)?.reveal?.();
  assertValidValue(plain, name);
  const options: SetSecretOptions = {};
  if (detailed) {
    if (entry.contentType !== undefined) options.contentType = entry.contentType;
    if (entry.tags !== undefined) options.tags = entry.tags;
    if (entry.enabled !== undefined) options.enabled = entry.enabled;
    if (entry.expiresOn !== undefined) options.expiresOn = seedDate(entry.expiresOn, name, "expiresOn");
    if (entry.notBefore !== undefined) options.notBefore = seedDate(entry.notBefore, name, "notBefore");
  }
  assertValidAttributes(options, name);
  return { name, value: value as string | SecretStr, options };
}

function seedDate(input: SeedDate, name: string, field: string): Date {
  const date = input instanceof Date ? input : new Date(input);
  if (!Number.isFinite(date.getTime())) {
    throw new InvalidValueError(`${field} of '${name}' is not a date: use ISO 8601 (2030-01-01T00:00:00Z) or milliseconds.`, { secretName: name });
  }
  return date;
}
