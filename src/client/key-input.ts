import { InvalidValueError } from "../core/errors.js";
import type { KeyAttributesInput, KeyPropertiesUpdate } from "../core/key-types.js";
import { printable } from "../core/printable.js";
import { assertValidDate, assertValidTags } from "../core/rules.js";
import {
  ENCRYPTION_ALGORITHMS,
  KEY_OPERATIONS,
  KEY_TYPES,
  SIGNATURE_ALGORITHMS,
  type EncryptionAlgorithm,
  type KeyType,
  type SignatureAlgorithm,
} from "../crypto/types.js";

/**
 * The keys client's checks, before anything reaches a vault: the same mistake costs no request and
 * gets the same error from both backends (the store and the SDK would word it differently).
 */

const context = (name?: string) => ({ kind: "key" as const, ...(name !== undefined ? { objectName: name } : {}) });

const oneOf = (list: readonly string[]): string => list.join(", ");

export function assertKeyType(keyType: unknown, name?: string): asserts keyType is KeyType {
  if (typeof keyType !== "string" || !(KEY_TYPES as readonly string[]).includes(keyType)) {
    throw new InvalidValueError(`Unknown key type '${printable(String(keyType))}'. Use one of ${oneOf(KEY_TYPES)}.`, context(name));
  }
}

export function assertEncryptionAlgorithm(alg: unknown, name?: string): asserts alg is EncryptionAlgorithm {
  if (typeof alg !== "string" || !(ENCRYPTION_ALGORITHMS as readonly string[]).includes(alg)) {
    throw new InvalidValueError(`Unknown encryption algorithm '${printable(String(alg))}'. Use one of ${oneOf(ENCRYPTION_ALGORITHMS)}.`, context(name));
  }
}

export function assertSignatureAlgorithm(alg: unknown, name?: string): asserts alg is SignatureAlgorithm {
  if (typeof alg !== "string" || !(SIGNATURE_ALGORITHMS as readonly string[]).includes(alg)) {
    throw new InvalidValueError(`Unknown signature algorithm '${printable(String(alg))}'. Use one of ${oneOf(SIGNATURE_ALGORITHMS)}.`, context(name));
  }
}

/** Bytes are Uint8Array (a Buffer is one); a string would be encrypted as whatever its encoding happened to be. */
export function assertBytes(value: unknown, what: string, name?: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new InvalidValueError(`The ${what} must be bytes (a Uint8Array or Buffer), not ${value === null ? "null" : typeof value}.`, context(name));
  }
}

export function assertRandomCount(count: unknown): asserts count is number {
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > 128) {
    throw new InvalidValueError("The count of random bytes must be an integer from 1 to 128.");
  }
}

/** Tags, dates and key operations of a create, an import or an update. */
export function assertKeyAttributes(options: KeyAttributesInput | KeyPropertiesUpdate, name?: string): void {
  if (options.tags !== undefined) assertValidTags(options.tags, name);
  if (options.notBefore !== undefined) assertValidDate(options.notBefore, "notBefore", name);
  if (options.expiresOn !== undefined) assertValidDate(options.expiresOn, "expiresOn", name);
  if (options.keyOps !== undefined) {
    if (!Array.isArray(options.keyOps)) throw new InvalidValueError("keyOps must be a list of key operations.", context(name));
    for (const op of options.keyOps as unknown[]) {
      if (typeof op !== "string" || !(KEY_OPERATIONS as readonly string[]).includes(op)) {
        throw new InvalidValueError(`Unknown key operation '${printable(String(op))}'. Use any of ${oneOf(KEY_OPERATIONS)}.`, context(name));
      }
    }
  }
}
