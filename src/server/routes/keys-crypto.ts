import type { CryptoOperation } from "../../crypto/types.js";
import { parseCryptoRequest, parseSignRequest, parseVerifyRequest } from "./keys-body.js";
import { KEY_ACTION, keysOf } from "./keys-operations.js";
import { cryptoResultJson } from "./keys-wire.js";
import { ok, type Operation } from "./route.js";

/**
 * The six crypto operations (docs/keyvault-wire.md §9.3) on `/keys/{n}/{v}/{op}`: the store checks
 * `key_ops`, enabled, nbf / exp and the algorithm against the key, and answers Key Vault's errors.
 * Every reply names the version that did the work in `kid`, so a versionless call tells which.
 */
export const cryptoOperations: Readonly<Record<CryptoOperation, Operation>> = {
  encrypt: {
    name: "encrypt",
    action: `${KEY_ACTION}encrypt/action`,
    async run(c) {
      const request = parseCryptoRequest(await c.json());
      return ok(cryptoResultJson(c.origin, c.name, await keysOf(c).encrypt(c.name, c.version, request)));
    },
  },
  decrypt: {
    name: "decrypt",
    action: `${KEY_ACTION}decrypt/action`,
    async run(c) {
      const request = parseCryptoRequest(await c.json());
      return ok(cryptoResultJson(c.origin, c.name, await keysOf(c).decrypt(c.name, c.version, request)));
    },
  },
  wrapKey: {
    name: "wrapKey",
    action: `${KEY_ACTION}wrap/action`,
    async run(c) {
      const request = parseCryptoRequest(await c.json());
      return ok(cryptoResultJson(c.origin, c.name, await keysOf(c).wrapKey(c.name, c.version, request)));
    },
  },
  unwrapKey: {
    name: "unwrapKey",
    action: `${KEY_ACTION}unwrap/action`,
    async run(c) {
      const request = parseCryptoRequest(await c.json());
      return ok(cryptoResultJson(c.origin, c.name, await keysOf(c).unwrapKey(c.name, c.version, request)));
    },
  },
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
