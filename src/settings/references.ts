import { SecretResolutionError } from "../core/errors.js";
import { printable } from "../core/printable.js";
import {
  parseKeyVaultReference,
  parseOrbitraReference,
  type KeyVaultReference,
  type OrbitraReference,
  type Parsed,
} from "./reference-schemes.js";

/**
 * Secret references: a setting whose WHOLE value points at a secret instead of holding it.
 *
 * Two schemes are recognised:
 *
 * - ours, `orbitra://NAME[/VERSION][?environment=E]`:
 *   `orbitra://db-password` (latest version, in the resolver's environment),
 *   `orbitra://db-password/0123456789abcdef0123456789abcdef` (one version),
 *   `orbitra://db-password?environment=staging` (another environment's vault).
 *   NAME follows Key Vault's rule (1-127 of `0-9a-zA-Z-`), VERSION is 32 hex characters, and
 *   `environment` is the only parameter. No percent-encoding, no fragment, no trailing `/`.
 * - Azure App Service's, so that app settings written for App Service work unchanged:
 *   `@Microsoft.KeyVault(SecretUri=https://myvault.vault.azure.net/secrets/NAME[/VERSION])` and
 *   `@Microsoft.KeyVault(VaultName=myvault;SecretName=NAME[;SecretVersion=VERSION])`
 *   (keys case-insensitive, spaces around `;` and `=` allowed).
 *
 * A value is a reference when it starts with `orbitra:` or `@Microsoft.KeyVault` (any case,
 * after optional whitespace): the whole value, never a part of a longer text
 * (`prefix orbitra://x` is plain text). Recognition is deliberately wider than the grammar, so that
 * a typo (`orbitra:/db`, `orbitra://db_password`, a missing `)`) is rejected with
 * `SecretResolutionError` instead of reaching the program as if it were the secret.
 */
export type SecretReference = OrbitraReference | KeyVaultReference;
export type { OrbitraReference, KeyVaultReference } from "./reference-schemes.js";

const ORBITRA = /^\s*orbitra:/i;
const APP_SERVICE = /^\s*@microsoft\.keyvault(?![a-z0-9_])/i;

/** True when `value` is meant as a secret reference, well-formed or not (see {@link SecretReference}). */
export function isSecretReference(value: string): boolean {
  return typeof value === "string" && (ORBITRA.test(value) || APP_SERVICE.test(value));
}

/**
 * Parses a reference. Throws `SecretResolutionError` (code `SecretResolution`, one entry in
 * `failures`) when `value` is not a reference or is a malformed one; `key` names the setting in
 * the message. Surrounding whitespace is an error: a reference is the whole value.
 */
export function parseSecretReference(value: string, key = ""): SecretReference {
  const parsed = tryParseSecretReference(value);
  if (parsed.ok) return parsed.reference;
  const failure = { key, reference: clipReference(value), reason: parsed.reason };
  throw new SecretResolutionError(
    `${key ? `Setting ${key}: ` : ""}malformed secret reference '${failure.reference}': ${parsed.reason}.`,
    [failure],
  );
}

/** Like {@link parseSecretReference}, returning the reason instead of throwing. */
export function tryParseSecretReference(value: string): Parsed<SecretReference> {
  if (!isSecretReference(value)) {
    return { ok: false, reason: "it is not a secret reference (orbitra://NAME or @Microsoft.KeyVault(...))" };
  }
  if (value !== value.trim()) return { ok: false, reason: "it has spaces around it; a reference is the whole value" };
  return ORBITRA.test(value) ? parseOrbitraReference(value) : parseKeyVaultReference(value);
}

/** The canonical text of a reference (`orbitra://name/version?environment=e`, or App Service's form). */
export function formatSecretReference(reference: SecretReference): string {
  if (reference.scheme === "orbitra") {
    const version = reference.version ? `/${reference.version}` : "";
    const environment = reference.environment ? `?environment=${reference.environment}` : "";
    return `orbitra://${reference.name}${version}${environment}`;
  }
  if (reference.vaultUrl !== undefined) {
    return `@Microsoft.KeyVault(SecretUri=${reference.vaultUrl}/secrets/${reference.name}${reference.version ? `/${reference.version}` : ""})`;
  }
  const version = reference.version ? `;SecretVersion=${reference.version}` : "";
  return `@Microsoft.KeyVault(VaultName=${reference.vaultName ?? ""};SecretName=${reference.name}${version})`;
}

/** References go into messages and `failures`; keep them one short line. */
export function clipReference(value: string): string {
  return printable(value, 200);
}
