import type { OrbitraError } from "../core/errors.js";
import { keyNotInValidityPeriod, operationNotPermitted } from "../crypto/errors.js";
import type { CryptoOperation } from "../crypto/types.js";
import { mapSdkError } from "./map-sdk-error.js";

/**
 * The `CryptographyClient` checks nbf, exp and key_ops itself before it sends (or runs locally)
 * an operation, and throws a plain Error then (cryptographyClient.js `ensureValid`). Those get
 * the errors the vault would have answered (crypto/errors.ts), so both backends refuse alike;
 * anything else is an SDK error like any other.
 */
export function mapCryptoError(error: unknown, op: CryptoOperation, vault: string, name: string): OrbitraError {
  const message = error instanceof Error && !("statusCode" in error) ? error.message : "";
  const context = (e: OrbitraError): OrbitraError => Object.assign(e, { vault });
  if (/^Operation \w+ is not supported on key/.test(message)) return context(operationNotPermitted(op, name));
  if (/^Key .* can't be used before /.test(message)) return context(keyNotInValidityPeriod(op, "not yet valid", name));
  if (/^Key .* expired at /.test(message)) return context(keyNotInValidityPeriod(op, "expired", name));
  return mapSdkError(error, vault, name, "key");
}
