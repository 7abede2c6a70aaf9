import { keyDisabled, keyNotInValidityPeriod, operationNotPermitted } from "./errors.js";
import type { CryptoOperation, KeyUsage } from "./types.js";

/**
 * Key Vault refuses these on a disabled key and lets encrypt, verify and wrapKey through
 * (azure-sdk-for-python#45342, observed against a live vault): what was protected stays checkable.
 */
const BLOCKED_WHEN_DISABLED: ReadonlySet<CryptoOperation> = new Set(["decrypt", "sign", "unwrapKey"]);

/**
 * nbf / exp limit only the operations that make new protected data; decrypt, verify and unwrapKey
 * keep working so that data is never locked in by an expiry (azure-sdk-for-net#7677, "as on the
 * server side").
 */
const LIMITED_BY_VALIDITY: ReadonlySet<CryptoOperation> = new Set(["encrypt", "sign", "wrapKey"]);

/**
 * Throws Key Vault's error when `op` may not run on this key version at `now`: disabled, not in
 * `key_ops`, or outside nbf..exp. Pure: the caller passes the clock.
 */
export function assertUsable(key: KeyUsage, op: CryptoOperation, now: Date): void {
  if (!key.enabled && BLOCKED_WHEN_DISABLED.has(op)) throw keyDisabled(op, key.name);
  if (key.keyOps !== undefined && !key.keyOps.includes(op)) throw operationNotPermitted(op, key.name);
  if (!LIMITED_BY_VALIDITY.has(op)) return;
  // The SDK's local check is `now < nbf` / `now > exp`; the same bounds keep both paths in step.
  if (key.notBefore !== undefined && now.getTime() < key.notBefore.getTime()) {
    throw keyNotInValidityPeriod(op, "not yet valid", key.name);
  }
  if (key.expiresOn !== undefined && now.getTime() > key.expiresOn.getTime()) {
    throw keyNotInValidityPeriod(op, "expired", key.name);
  }
}
