import type { CryptoOperation } from "../../crypto/types.js";
import type { KeyStore } from "../../store/keys/types.js";
import { parseCryptoRequest, parseSignRequest, parseVerifyRequest } from "./keys-body.js";
import { KEY_ACTION, keysOf } from "./keys-operations.js";
import { cryptoResultJson } from "./keys-wire.js";
import { ok, type Operation } from "./route.js";

/** The four KeyStore calls that take a CryptoRequest. */
type CipherCall = keyof Pick<KeyStore, "encrypt" | "decrypt" | "wrapKey" | "unwrapKey">;

/** encrypt / decrypt / wrapkey / unwrapkey: the same body in, the same shape out; only the store call differs. */
function cipher(name: CipherCall, action: string): Operation {
  return {
    name,
    action: `${KEY_ACTION}${action}/action`,
    async run(c) {
      const request = parseCryptoRequest(await c.json());
      return ok(cryptoResultJson(c.origin, c.name, await keysOf(c)[name](c.name, c.version, request)));
    },
  };
}

/**
 * The six crypto operations (docs/keyvault-wire.md §9.3) on `/keys/{n}/{v}/{op}`: the store checks
 * `key_ops`, enabled, nbf / exp and the algorithm against the key, and answers Key Vault's errors.
 * Every reply names the version that did the work in `kid`, so a versionless call tells which.
 */
export const cryptoOperations: Readonly<Record<CryptoOperation, Operation>> = {
  encrypt: cipher("encrypt", "encrypt"),
  decrypt: cipher("decrypt", "decrypt"),
  wrapKey: cipher("wrapKey", "wrap"),
  unwrapKey: cipher("unwrapKey", "unwrap"),
  sign: {
    name: "sign",
    action: `${KEY_ACTION}sign/action`,
    async run(c) {
      const { alg, digest } = parseSignRequest(await c.json());
      return ok(cryptoResultJson(c.origin, c.name, await keysOf(c).sign(c.name, c.version, alg, digest)));
    },
  },
  verify: {
    name: "verify",
    action: `${KEY_ACTION}verify/action`,
    async run(c) {
      const { alg, digest, signature } = parseVerifyRequest(await c.json());
      // A signature that does not match is a 200 with false, not an error (§9.3).
      return ok({ value: await keysOf(c).verify(c.name, c.version, alg, digest, signature) });
    },
  },
};
