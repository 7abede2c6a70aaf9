import { assertValidTags, MAX_DATE_MS } from "../../core/rules.js";
import { badParameter } from "../../crypto/errors.js";
import { parseKeyOps } from "../../crypto/jwk-import.js";
import type { KeyFamily, KeyOperation } from "../../crypto/types.js";
import { tagsText } from "../row-text.js";
import type { StoredKeyAttributes, StoredKeyUpdate } from "./types.js";

/**
 * What Key Vault gives a key created or imported without `key_ops`: every operation its family
 * can run. RSA's six are a real capture (docs/keyvault-wire.md §9.1); EC's sign and verify and
 * oct's six (AES encrypt and wrap, HMAC sign) follow from what src/crypto runs for each family.
 */
const DEFAULT_KEY_OPS: Readonly<Record<KeyFamily, readonly KeyOperation[]>> = {
  RSA: ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"],
  EC: ["sign", "verify"],
  oct: ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"],
};

export function defaultKeyOps(family: KeyFamily): KeyOperation[] {
  return [...DEFAULT_KEY_OPS[family]];
}

/** A new version's attribute columns, checked. */
export interface VersionAttributes {
  enabled: number;
  nbf: number | null;
  exp: number | null;
  exportable: number;
  managed: number;
  tags: string | null;
  /** Undefined: none asked for (the caller applies the family's default). */
  keyOps: KeyOperation[] | undefined;
}

/** Checks the attributes of a create or an import before any work is done; the messages never repeat a value. */
export function checkAttributes(attributes: StoredKeyAttributes | undefined): VersionAttributes {
  const a = (attributes ?? {}) as Partial<Record<keyof StoredKeyAttributes, unknown>>;
  if (typeof a !== "object" || a === null) throw badParameter("The key's attributes must be an object.");
  if (a.tags !== undefined) assertValidTags(a.tags);
  return {
    enabled: flag(a.enabled, "enabled", true) ? 1 : 0,
    nbf: seconds(a.notBefore, "notBefore"),
    exp: seconds(a.expiresOn, "expiresOn"),
    exportable: flag(a.exportable, "exportable", false) ? 1 : 0,
    managed: flag(a.managed, "managed", false) ? 1 : 0,
    tags: tagsText(a.tags as Record<string, string> | undefined),
    keyOps: parseKeyOps(a.keyOps),
  };
}

/** Checks an update; absent members stay as they are. */
export function checkUpdate(update: StoredKeyUpdate | undefined): StoredKeyUpdate {
  const u = (update ?? {}) as Partial<Record<keyof StoredKeyUpdate, unknown>>;
  if (typeof u !== "object" || u === null) throw badParameter("The key's update must be an object.");
  if (u.enabled !== undefined) flag(u.enabled, "enabled", true);
  if (u.notBefore !== undefined) seconds(u.notBefore, "notBefore");
  if (u.expiresOn !== undefined) seconds(u.expiresOn, "expiresOn");
  if (u.tags !== undefined) assertValidTags(u.tags);
  if (u.keyOps !== undefined) parseKeyOps(u.keyOps);
  return update ?? {};
}

function flag(value: unknown, what: string, absent: boolean): boolean {
  if (value === undefined) return absent;
  if (typeof value !== "boolean") throw badParameter(`'${what}' must be true or false.`);
  return value;
}

/** A date attribute in Unix seconds, as the wire carries it: 1 to 9999-12-31T23:59:59Z. */
function seconds(value: unknown, what: string): number | null {
  if (value === undefined) return null;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1 || value > MAX_DATE_MS / 1000) {
    throw badParameter(`'${what}' must be a whole number of seconds since 1970 up to 9999-12-31T23:59:59Z.`);
  }
  return value;
}
