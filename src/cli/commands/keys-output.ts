import type { DeletedKeyProperties } from "../../backends/keys-backend.js";
import { InvalidValueError } from "../../core/errors.js";
import type { DeletedKey, KeyProperties, KeyRotationPolicy, KeyVaultKey } from "../../core/key-types.js";
import type { JsonWebKey } from "../../crypto/types.js";
import { propertiesToJson } from "../output.js";

/**
 * How `orbitra keys` prints keys: JSON-friendly data (ISO dates, the public JWK as Key Vault gives
 * it) and aligned `key: value` lines for a person. A key never holds private members here.
 */

/** A secret's JSON (output.ts) and what only keys have; "expired" matters more here: no encrypt or sign after it. */
export function keyPropertiesToJson(p: KeyProperties | DeletedKeyProperties, now = Date.now()): Record<string, unknown> {
  return {
    ...propertiesToJson(p, { now }),
    ...(p.exportable !== undefined ? { exportable: p.exportable } : {}),
    ...(p.managed ? { managed: true } : {}),
  };
}

export function keyToJson(k: KeyVaultKey | DeletedKey): Record<string, unknown> {
  const deletion =
    "recoveryId" in k ? { recoveryId: k.recoveryId, deletedOn: k.deletedOn.toISOString(), scheduledPurgeDate: k.scheduledPurgeDate.toISOString() } : {};
  return { ...keyPropertiesToJson(k.properties), keyType: k.keyType, keyOperations: k.keyOperations, key: k.key, ...deletion };
}

/** Aligned lines: the properties, the type and operations, one line per tag. */
export function keyToText(k: KeyVaultKey): string {
  const data = { ...keyPropertiesToJson(k.properties), keyType: k.keyType, ...(k.key.crv ? { curve: k.key.crv } : {}), keyOperations: k.keyOperations.join(",") || "(any)" };
  return rows(Object.entries(data).filter(([key]) => key !== "tags").map(([key, value]) => [key, String(value)]), k.properties.tags);
}

function rows(entries: [string, string][], tags: Record<string, string>): string {
  const all = [...entries, ...Object.entries(tags).map(([tag, value]) => [`tag ${tag}`, value] as [string, string])];
  const width = Math.max(...all.map(([key]) => key.length));
  return all.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join("\n") + "\n";
}

/** The public key as SPKI PEM, for openssl and TLS tools; an oct key has none. */
export function publicKeyPem(jwk: JsonWebKey, name: string): string {
  if (jwk.kty.startsWith("oct")) {
    throw new InvalidValueError(`Key ${name} is a symmetric (oct) key: it has no public key to print. Use --format jwk or --json.`, { kind: "key", objectName: name });
  }
  const { kid: _kid, key_ops: _ops, kty, crv, ...members } = jwk;
  // node:crypto names secp256k1 by its SEC name; Key Vault's JWK says P-256K.
  const nodeJwk = { ...members, kty: kty.replace("-HSM", ""), ...(crv ? { crv: crv === "P-256K" ? "secp256k1" : crv } : {}) };
  // node:crypto on use: see SecretStr.equals.
  return process.getBuiltinModule("node:crypto").createPublicKey({ key: nodeJwk as never, format: "jwk" }).export({ type: "spki", format: "pem" }).toString();
}

export function keyListToText(keys: KeyProperties[]): string {
  return keys.map((k) => `${k.name}\n`).join("");
}

/** One line per version, oldest first: version, enabled, created, expiry. */
export function keyVersionsToText(versions: KeyProperties[]): string {
  return versions
    .map((v) => [v.version ?? "-", v.enabled ? "enabled " : "disabled", v.createdOn.toISOString(), v.expiresOn ? `expires ${v.expiresOn.toISOString()}` : ""].join("  ").trimEnd())
    .map((line) => `${line}\n`)
    .join("");
}

export function deletedKeysToText(deleted: DeletedKeyProperties[]): string {
  return deleted.map((d) => `${d.name}  deleted ${d.deletedOn.toISOString()}  purge ${d.scheduledPurgeDate.toISOString()}\n`).join("");
}

export function rotationPolicyToJson(p: KeyRotationPolicy): Record<string, unknown> {
  return {
    ...(p.id ? { id: p.id } : {}),
    lifetimeActions: p.lifetimeActions,
    ...(p.expiresIn ? { expiresIn: p.expiresIn } : {}),
    ...(p.createdOn ? { createdOn: p.createdOn.toISOString() } : {}),
    ...(p.updatedOn ? { updatedOn: p.updatedOn.toISOString() } : {}),
  };
}

export function rotationPolicyToText(p: KeyRotationPolicy): string {
  const actions = p.lifetimeActions.map((a) =>
    a.timeAfterCreate !== undefined ? `${a.action} ${a.timeAfterCreate} after creation` : `${a.action} ${a.timeBeforeExpiry ?? "?"} before expiry`,
  );
  const entries: [string, string][] = [
    ["actions", actions.join("; ") || "(none)"],
    ["expiresIn", p.expiresIn ?? "(no expiry set on new versions)"],
  ];
  if (p.updatedOn) entries.push(["updatedOn", p.updatedOn.toISOString()]);
  return rows(entries, {});
}
