import { isValidName, isVersionId } from "../../core/rules.js";
import { parseRestore, parseSetSecret, parseUpdate } from "../body.js";
import { invalidName, invalidVersion, notFound, restoring } from "../errors.js";
import { listPage } from "../paging.js";
import { PEM, pemOfPfxSecret } from "./secrets-pem.js";
import { matchDeleted, ok, only, route, type MatchedRoute, type Operation } from "./route.js";
import { deletedSecretBundle, deletedSecretItem, secretBundle, secretBundleText, secretItem } from "./secrets-wire.js";

/** The data actions of docs/keyvault-wire.md §12, for the authorizer (RBAC). */
const ACTION = "Microsoft.KeyVault/vaults/secrets/";

/**
 * `/secrets/...`: the operation for a method and the decoded path segments after the collection
 * word (routes/table.ts dispatches here). Path words compare case-insensitively, as ids do;
 * "latest" reads and updates may end in a slash, as the SDK sends them (docs/keyvault-wire.md §2).
 * Nothing here reads the body.
 */
export function matchSecrets(method: string, [name, third, ...rest]: readonly string[]): MatchedRoute {
  if (name === undefined || (name === "" && third === undefined)) return only(method, ["GET"], operations.listSecrets, "");
  if (method === "POST" && name.toLowerCase() === "restore" && third === undefined) return route(operations.restoreSecret, "");
  if (!isValidName(name)) throw invalidName(name);
  if (rest.length > 0) throw notFound();
  if (third === undefined) {
    if (method === "PUT") return route(operations.setSecret, name);
    if (method === "DELETE") return route(operations.deleteSecret, name);
    if (method === "PATCH") return route(operations.updateSecret, name);
    return only(method, ["GET", "PUT", "PATCH", "DELETE"], operations.getSecret, name);
  }
  const word = third.toLowerCase();
  if (word === "versions") return only(method, ["GET"], operations.listSecretVersions, name);
  if (word === "backup") return only(method, ["POST"], operations.backupSecret, name);
  // "" is the trailing slash of a "latest" read: no version.
  if (third !== "" && !isVersionId(third)) throw invalidVersion(third);
  const version = third === "" ? undefined : third.toLowerCase();
  if (method === "PATCH") return route(operations.updateSecret, name, version);
  return only(method, ["GET", "PATCH"], operations.getSecret, name, version);
}

/** Every secrets operation of docs/keyvault-wire.md §7, as store calls. Status 200 except purge (204). */
export const operations = {
  setSecret: {
    name: "setSecret",
    action: `${ACTION}setSecret/action`,
    async run(c) {
      const { value, options } = parseSetSecret(await c.json());
      return ok(secretBundle(c.origin, c.store.secrets.setSecret(c.name, value, options), value));
    },
  },
  getSecret: {
    name: "getSecret",
    action: `${ACTION}getSecret/action`,
    run(c) {
      const { secret, value } = c.store.secrets.getSecret(c.name, c.version);
      const out = c.query.get("outContentType");
      const pem = out === null ? undefined : pemOfPfxSecret(secret.contentType, value, out);
      if (pem === undefined) return { status: 200, text: secretBundleText(c.origin, secret, value) };
      return ok(secretBundle(c.origin, { ...secret, contentType: PEM }, pem.reveal()));
    },
  },
  updateSecret: {
    name: "updateSecretProperties",
    action: `${ACTION}update/action`,
    async run(c) {
      const update = parseUpdate(await c.json());
      return ok(secretBundle(c.origin, c.store.secrets.updateSecretProperties(c.name, c.version, update)));
    },
  },
  deleteSecret: {
    name: "beginDeleteSecret",
    action: `${ACTION}delete`,
    run: (c) => ok(deletedSecretBundle(c.origin, c.store.secrets.deleteSecret(c.name))),
  },
  getDeletedSecret: {
    name: "getDeletedSecret",
    action: `${ACTION}readMetadata/action`,
    run: (c) => ok(deletedSecretBundle(c.origin, c.store.secrets.getDeletedSecret(c.name))),
  },
  purgeDeletedSecret: {
    name: "purgeDeletedSecret",
    action: `${ACTION}purge/action`,
    run(c) {
      c.store.secrets.purgeDeletedSecret(c.name);
      return { status: 204 };
    },
  },
  recoverDeletedSecret: {
    name: "beginRecoverDeletedSecret",
    action: `${ACTION}recover/action`,
    run: (c) => ok(secretBundle(c.origin, c.store.secrets.recoverDeletedSecret(c.name))),
  },
  backupSecret: {
    name: "backupSecret",
    action: `${ACTION}backup/action`,
    run: (c) => ok({ value: c.store.secrets.backupSecret(c.name).toString("base64url") }),
  },
  restoreSecret: {
    name: "restoreSecretBackup",
    action: `${ACTION}restore/action`,
    async run(c) {
      const blob = parseRestore(await c.json());
      return ok(secretBundle(c.origin, restoring(() => c.store.secrets.restoreSecretBackup(blob))));
    },
  },
  listSecrets: {
    name: "listPropertiesOfSecrets",
    action: `${ACTION}readMetadata/action`,
    run: (c) => ok(listPage(c, "/secrets", (page) => c.store.secrets.listSecrets(page), (s) => secretItem(c.origin, s, false))),
  },
  listSecretVersions: {
    name: "listPropertiesOfSecretVersions",
    action: `${ACTION}readMetadata/action`,
    run: (c) =>
      ok(listPage(c, `/secrets/${c.name}/versions`, (page) => c.store.secrets.listSecretVersions(c.name, page), (s) => secretItem(c.origin, s, true))),
  },
  listDeletedSecrets: {
    name: "listDeletedSecrets",
    action: `${ACTION}readMetadata/action`,
    run: (c) => ok(listPage(c, "/deletedsecrets", (page) => c.store.secrets.listDeletedSecrets(page), (s) => deletedSecretItem(c.origin, s))),
  },
} satisfies Record<string, Operation>;

/** `/deletedsecrets/...`, as {@link matchSecrets}. */
export const matchDeletedSecrets = matchDeleted({
  list: operations.listDeletedSecrets,
  get: operations.getDeletedSecret,
  purge: operations.purgeDeletedSecret,
  recover: operations.recoverDeletedSecret,
});
