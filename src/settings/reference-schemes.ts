import { isValidName, isVersionId } from "../core/rules.js";
import { normalizeEnvironment } from "./model.js";

/**
 * The two reference schemes, parsed strictly. Each parser returns the reference or a reason
 * (a sentence fragment, never containing a secret value) why it is malformed.
 * `references.ts` turns reasons into `SecretResolutionError`s.
 */

/** `orbitra://NAME[/VERSION][?environment=E]`: a secret of this project's environments. */
export interface OrbitraReference {
  scheme: "orbitra";
  /** Secret name, as written (Key Vault compares names case-insensitively). */
  name: string;
  /** 32 hex characters, lower-cased; the latest version when absent. */
  version?: string;
  /** Environment name, normalised (lower case); the resolver's environment when absent. */
  environment?: string;
}

/**
 * Azure App Service's Key Vault reference: `@Microsoft.KeyVault(SecretUri=...)` or
 * `@Microsoft.KeyVault(VaultName=...;SecretName=...[;SecretVersion=...])`.
 * Exactly one of `vaultUrl` (from a SecretUri: its origin) and `vaultName` is set.
 */
export interface KeyVaultReference {
  scheme: "keyvault";
  vaultUrl?: string;
  vaultName?: string;
  name: string;
  version?: string;
}

export type Parsed<T> = { ok: true; reference: T } | { ok: false; reason: string };

const ENVIRONMENT = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Key Vault's vault-name rule (3-24 of letters, digits and single dashes), as in settings/vault-target.ts. */
const VAULT_NAME = /^[0-9a-zA-Z](?:[0-9a-zA-Z]|-(?!-)){1,22}[0-9a-zA-Z]$/;
const NAME_RULE = "1-127 of 0-9, a-z, A-Z and -";

export function parseOrbitraReference(value: string): Parsed<OrbitraReference> {
  const match = /^orbitra:\/\/([^?#]*)(?:\?([^#]*))?(#.*)?$/is.exec(value);
  if (!match) return fail("it must start with orbitra:// (orbitra://NAME[/VERSION][?environment=E])");
  const [, path = "", query, fragment] = match;
  if (fragment !== undefined) return fail("a '#' fragment is not allowed");
  if (path === "") return fail("it names no secret (orbitra://NAME)");
  const parts = path.split("/");
  if (parts.length > 2) return fail("the path is NAME or NAME/VERSION, nothing more");
  const [name = "", version] = parts;
  if (!isValidName(name)) return fail(`'${name.slice(0, 40)}' is not a secret name (${NAME_RULE})`);
  const reference: OrbitraReference = { scheme: "orbitra", name };
  if (version !== undefined) {
    if (version === "") return fail("it ends with '/' (write orbitra://NAME or orbitra://NAME/VERSION)");
    if (!isVersionId(version)) return fail(`'${version.slice(0, 40)}' is not a version (32 hexadecimal characters)`);
    reference.version = version.toLowerCase();
  }
  if (query !== undefined) {
    if (query === "") return fail("the '?' is followed by nothing");
    const seen = new Set<string>();
    for (const pair of query.split("&")) {
      const eq = pair.indexOf("=");
      const key = (eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
      const param = eq < 0 ? "" : pair.slice(eq + 1);
      if (key !== "environment") return fail(`unknown parameter '${pair.slice(0, 40)}' (only environment=E is allowed)`);
      if (seen.has(key)) return fail("environment is given twice");
      seen.add(key);
      if (!ENVIRONMENT.test(param)) return fail(`'${param.slice(0, 40)}' is not an environment name`);
      reference.environment = normalizeEnvironment(param);
    }
  }
  return { ok: true, reference };
}

const APP_SERVICE_KEYS = new Map([
  ["secreturi", "SecretUri"],
  ["vaultname", "VaultName"],
  ["secretname", "SecretName"],
  ["secretversion", "SecretVersion"],
]);

export function parseKeyVaultReference(value: string): Parsed<KeyVaultReference> {
  const match = /^@Microsoft\.KeyVault\((.*)\)$/is.exec(value);
  if (!match) return fail("it must read @Microsoft.KeyVault(...) with the closing ')' at the end");
  const inner = match[1]!;
  if (/[\r\n]/.test(inner)) return fail("it spans several lines");
  const parts = inner.split(";").map((part) => part.trim());
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop(); // one trailing ';' is fine
  const fields = new Map<string, string>();
  for (const part of parts) {
    const eq = part.indexOf("=");
    if (eq <= 0) return fail(part === "" ? "it has an empty part (write Key=Value pairs separated by ';')" : `'${part.slice(0, 40)}' is not Key=Value`);
    const rawKey = part.slice(0, eq).trim();
    const key = APP_SERVICE_KEYS.get(rawKey.toLowerCase());
    if (!key) return fail(`unknown key '${rawKey.slice(0, 40)}' (SecretUri, or VaultName, SecretName and SecretVersion)`);
    if (fields.has(key)) return fail(`${key} is given twice`);
    const fieldValue = part.slice(eq + 1).trim();
    if (fieldValue === "") return fail(`${key} is empty`);
    fields.set(key, fieldValue);
  }
  const uri = fields.get("SecretUri");
  if (uri !== undefined) {
    if (fields.size > 1) return fail("SecretUri cannot be combined with VaultName, SecretName or SecretVersion");
    return parseSecretUri(uri);
  }
  const vaultName = fields.get("VaultName");
  const name = fields.get("SecretName");
  const version = fields.get("SecretVersion");
  if (vaultName === undefined) return fail("VaultName is missing (or give SecretUri)");
  if (name === undefined) return fail("SecretName is missing");
  if (!VAULT_NAME.test(vaultName)) return fail(`'${vaultName.slice(0, 40)}' is not a vault name (3-24 letters, digits and single dashes)`);
  if (!isValidName(name)) return fail(`'${name.slice(0, 40)}' is not a secret name (${NAME_RULE})`);
  const reference: KeyVaultReference = { scheme: "keyvault", vaultName: vaultName.toLowerCase(), name };
  if (version !== undefined) {
    if (!isVersionId(version)) return fail(`'${version.slice(0, 40)}' is not a version (32 hexadecimal characters)`);
    reference.version = version.toLowerCase();
  }
  return { ok: true, reference };
}

/** `https://VAULT/secrets/NAME[/VERSION][/]`, as App Service accepts it. */
function parseSecretUri(uri: string): Parsed<KeyVaultReference> {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return fail("SecretUri is not a URL");
  }
  if (url.protocol !== "https:") return fail("SecretUri must use https");
  if (url.username || url.password) return fail("SecretUri must not carry credentials");
  if (url.search || url.hash || uri.includes("?") || uri.includes("#")) return fail("SecretUri must not have a query or fragment");
  const path = /^\/secrets\/([^/]+)(?:\/([^/]*))?\/?$/.exec(url.pathname);
  if (!path) return fail("SecretUri must be https://VAULT/secrets/NAME[/VERSION]");
  const [, name = "", version = ""] = path;
  if (!isValidName(name)) return fail(`'${name.slice(0, 40)}' is not a secret name (${NAME_RULE})`);
  const reference: KeyVaultReference = { scheme: "keyvault", vaultUrl: url.origin, name };
  if (version !== "") {
    if (!isVersionId(version)) return fail(`'${version.slice(0, 40)}' is not a version (32 hexadecimal characters)`);
    reference.version = version.toLowerCase();
  }
  return { ok: true, reference };
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
