import { InvalidValueError, PermissionDeniedError } from "../core/errors.js";
import type { CryptoOperation } from "./types.js";

/**
 * The errors the cryptography floor throws, worded and coded as Key Vault answers where that is
 * known. The server maps `InvalidValue` to 400 `BadParameter` and `PermissionDenied` to 403
 * `Forbidden` with `serviceCode` as the inner code (src/server/errors.ts).
 */

export function badParameter(message: string): InvalidValueError {
  return new InvalidValueError(message, { statusCode: 400, serviceCode: "BadParameter" });
}

/**
 * A live vault answers a disabled key's decrypt, sign and unwrap with 403 `Forbidden` /
 * `KeyDisabled` and this text (azure-sdk-for-python#45342, observed against Azure).
 */
export function keyDisabled(op: CryptoOperation, name?: string): PermissionDeniedError {
  return new PermissionDeniedError(`Operation ${op} is not allowed on a disabled key.`, {
    kind: "key",
    objectName: name,
    statusCode: 403,
    serviceCode: "KeyDisabled",
  });
}

/**
 * An operation the key's `key_ops` leave out: 403 `Forbidden` with this text (the Azure SDKs'
 * troubleshooting guide). The inner code is not documented ("may vary"), so none is sent.
 */
export function operationNotPermitted(op: CryptoOperation, name?: string): PermissionDeniedError {
  return new PermissionDeniedError(`Operation ${op} is not permitted on this key.`, {
    kind: "key",
    objectName: name,
    statusCode: 403,
  });
}

/**
 * Outside nbf..exp: Key Vault refuses encrypt, sign and wrapKey with a 403 (the Azure SDKs copy the
 * rule for their local paths: azure-sdk-for-net#7677). Its exact text and inner code are not
 * published (UNCONFIRMED): this wording follows the disabled-key message.
 */
export function keyNotInValidityPeriod(op: CryptoOperation, why: "expired" | "not yet valid", name?: string): PermissionDeniedError {
  const what = why === "expired" ? "an expired key" : "a key that is not yet valid";
  return new PermissionDeniedError(`Operation ${op} is not allowed on ${what}.`, {
    kind: "key",
    objectName: name,
    statusCode: 403,
  });
}

/** A decrypt, sign or unwrap asked of a key known by its public half only (a local JWK, say). */
export function publicKeyOnly(op: CryptoOperation): InvalidValueError {
  return new InvalidValueError(`Operation ${op} needs the private key, and only the public key is known here.`);
}

/**
 * Bytes that do not decrypt or unwrap under this key (wrong key, tampered data, bad padding). Key
 * Vault's status and text for this are not published (UNCONFIRMED); 400 BadParameter is ours.
 */
export function cannotDecrypt(op: "decrypt" | "unwrapKey", alg: string): InvalidValueError {
  return badParameter(`The value could not be ${op === "decrypt" ? "decrypted" : "unwrapped"} with this key and ${alg}: it was made with another key or parameters, or it was altered.`);
}
