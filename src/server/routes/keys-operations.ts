import { getRandomBytes } from "../../crypto/operations.js";
import { encodeBase64Url } from "../../crypto/base64url.js";
import type { KeyStore } from "../../store/keys/types.js";
import { parseRestore } from "../body.js";
import { badParameter, restoring } from "../errors.js";
import { listPage } from "../paging.js";
import { parseCreateKey, parseImportKey, parseKeyUpdate, parseRotationPolicy } from "./keys-body.js";
import { deletedKeyBundle, deletedKeyItem, keyBundle, keyItem, rotationPolicyJson } from "./keys-wire.js";
import { ok, type Operation, type RouteContext } from "./route.js";

/** The data actions of docs/keyvault-wire.md §12 (fact sheet §12), for the authorizer (RBAC). */
export const KEY_ACTION = "Microsoft.KeyVault/vaults/keys/";
const POLICY_ACTION = "Microsoft.KeyVault/vaults/keyrotationpolicies/";
/**
 * Key Vault publishes `rng` for Managed HSM only (`managedHsm/rng/action`) and no vault data action
 * for it; ours sits under `vaults/` so that only a role granting `vaults/*` (Administrator) has it.
 */
const RNG_ACTION = "Microsoft.KeyVault/vaults/rng/action";

/** The vault's keys (`vault.keys`), typed by the KeyStore contract the routes are written against. */
export const keysOf = (c: RouteContext): KeyStore => c.store.keys;

/** Every keys operation of docs/keyvault-wire.md §9.1 but the six crypto ones (keys-crypto.ts). Status 200 except purge (204). */
export const keyOperations = {
  createKey: {
    name: "createKey",
    action: `${KEY_ACTION}create/action`,
    async run(c) {
      const spec = parseCreateKey(await c.json());
      return ok(keyBundle(c.origin, await keysOf(c).createKey(c.name, spec)));
    },
  },
  importKey: {
    name: "importKey",
    action: `${KEY_ACTION}import/action`,
    async run(c) {
      const { jwk, attributes } = parseImportKey(await c.json());
      return ok(keyBundle(c.origin, keysOf(c).importKey(c.name, jwk, attributes)));
    },
  },
  getKey: {
    name: "getKey",
    action: `${KEY_ACTION}read`,
    run: (c) => ok(keyBundle(c.origin, keysOf(c).getKey(c.name, c.version))),
  },
  updateKey: {
    name: "updateKeyProperties",
    action: `${KEY_ACTION}update/action`,
    async run(c) {
      const update = parseKeyUpdate(await c.json());
      return ok(keyBundle(c.origin, keysOf(c).updateKeyProperties(c.name, c.version, update)));
    },
  },
  deleteKey: {
    name: "beginDeleteKey",
    action: `${KEY_ACTION}delete`,
    run: (c) => ok(deletedKeyBundle(c.origin, keysOf(c).deleteKey(c.name))),
  },
  getDeletedKey: {
    name: "getDeletedKey",
    action: `${KEY_ACTION}read`,
    run: (c) => ok(deletedKeyBundle(c.origin, keysOf(c).getDeletedKey(c.name))),
  },
  purgeDeletedKey: {
    name: "purgeDeletedKey",
    action: `${KEY_ACTION}purge/action`,
    run(c) {
      keysOf(c).purgeDeletedKey(c.name);
      return { status: 204 };
    },
  },
  recoverDeletedKey: {
    name: "beginRecoverDeletedKey",
    action: `${KEY_ACTION}recover/action`,
    run: (c) => ok(keyBundle(c.origin, keysOf(c).recoverDeletedKey(c.name))),
  },
  backupKey: {
    name: "backupKey",
    action: `${KEY_ACTION}backup/action`,
    run: (c) => ok({ value: keysOf(c).backupKey(c.name).toString("base64url") }),
  },
  restoreKey: {
    name: "restoreKeyBackup",
    action: `${KEY_ACTION}restore/action`,
    async run(c) {
      const blob = parseRestore(await c.json());
      const keys = keysOf(c);
      return ok(keyBundle(c.origin, restoring(() => keys.restoreKeyBackup(blob))));
    },
  },
  rotateKey: {
    name: "rotateKey",
    action: `${KEY_ACTION}rotate/action`,
    async run(c) {
      return ok(keyBundle(c.origin, await keysOf(c).rotateKey(c.name)));
    },
  },
  getRotationPolicy: {
    name: "getKeyRotationPolicy",
    action: `${POLICY_ACTION}read`,
    run: (c) => ok(rotationPolicyJson(c.origin, c.name, keysOf(c).getRotationPolicy(c.name))),
  },
  setRotationPolicy: {
    name: "updateKeyRotationPolicy",
    action: `${POLICY_ACTION}write`,
    async run(c) {
      const policy = parseRotationPolicy(await c.json());
      return ok(rotationPolicyJson(c.origin, c.name, keysOf(c).setRotationPolicy(c.name, policy)));
    },
  },
  listKeys: {
    name: "listPropertiesOfKeys",
    action: `${KEY_ACTION}read`,
    run: (c) => ok(listPage(c, "/keys", (page) => keysOf(c).listKeys(page), (k) => keyItem(c.origin, k, false))),
  },
  listKeyVersions: {
    name: "listPropertiesOfKeyVersions",
    action: `${KEY_ACTION}read`,
    run: (c) => ok(listPage(c, `/keys/${c.name}/versions`, (page) => keysOf(c).listKeyVersions(c.name, page), (k) => keyItem(c.origin, k, true))),
  },
  listDeletedKeys: {
    name: "listDeletedKeys",
    action: `${KEY_ACTION}read`,
    run: (c) => ok(listPage(c, "/deletedkeys", (page) => keysOf(c).listDeletedKeys(page), (k) => deletedKeyItem(c.origin, k))),
  },
  getRandomBytes: {
    name: "getRandomBytes",
    action: RNG_ACTION,
    async run(c) {
      const body = await c.json();
      if (!("count" in body)) throw badParameter("Property 'count' is required: the number of bytes, 1 to 128.");
      return ok({ value: encodeBase64Url(getRandomBytes(body.count)) });
    },
  },
} satisfies Record<string, Operation>;
