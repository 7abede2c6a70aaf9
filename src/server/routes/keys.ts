import { isValidName, isVersionId } from "../../core/rules.js";
import { operationFromPath } from "../../crypto/operations.js";
import { invalidName, invalidVersion, notFound } from "../errors.js";
import { cryptoOperations } from "./keys-crypto.js";
import { keyOperations as operations } from "./keys-operations.js";
import { matchDeleted, only, route, type MatchedRoute } from "./route.js";

/**
 * `/keys/...`, `/deletedkeys/...` and `/rng`: the operation for a method and the decoded path
 * segments after the collection word (routes/table.ts dispatches here), as secrets.ts does for
 * secrets. Path words compare case-insensitively; a latest read or update may end in a slash, and
 * a crypto operation on the latest version is `/keys/{n}//{op}`, as the SDK sends it from a
 * versionless id (docs/keyvault-wire.md §9.4). Nothing here reads the body.
 */
export function matchKeys(method: string, [name, third, fourth, ...rest]: readonly string[]): MatchedRoute {
  if (name === undefined || (name === "" && third === undefined)) return only(method, ["GET"], operations.listKeys, "");
  if (method === "POST" && name.toLowerCase() === "restore" && third === undefined) return route(operations.restoreKey, "");
  if (!isValidName(name)) throw invalidName(name);
  if (rest.length > 0) throw notFound();
  if (third === undefined) {
    if (method === "PUT") return route(operations.importKey, name);
    if (method === "DELETE") return route(operations.deleteKey, name);
    if (method === "PATCH") return route(operations.updateKey, name);
    return only(method, ["GET", "PUT", "PATCH", "DELETE"], operations.getKey, name);
  }
  if (fourth !== undefined) return matchCrypto(method, name, third, fourth);
  const word = third.toLowerCase();
  if (word === "create") return only(method, ["POST"], operations.createKey, name);
  if (word === "versions") return only(method, ["GET"], operations.listKeyVersions, name);
  if (word === "backup") return only(method, ["POST"], operations.backupKey, name);
  if (word === "rotate") return only(method, ["POST"], operations.rotateKey, name);
  if (word === "rotationpolicy") {
    if (method === "PUT") return route(operations.setRotationPolicy, name);
    return only(method, ["GET", "PUT"], operations.getRotationPolicy, name);
  }
  const version = versionSegment(third);
  if (method === "PATCH") return route(operations.updateKey, name, version);
  return only(method, ["GET", "PATCH"], operations.getKey, name, version);
}

/** `/keys/{n}/{v or ""}/{encrypt|decrypt|sign|verify|wrapkey|unwrapkey}`. */
function matchCrypto(method: string, name: string, version: string, word: string): MatchedRoute {
  const op = operationFromPath(word);
  if (op === undefined) throw notFound();
  return only(method, ["POST"], cryptoOperations[op], name, versionSegment(version));
}

/** "" is the trailing slash of a latest read: no version. */
function versionSegment(segment: string): string | undefined {
  if (segment === "") return undefined;
  if (!isVersionId(segment)) throw invalidVersion(segment);
  return segment.toLowerCase();
}

/** `/deletedkeys/...`, as matchDeletedSecrets. */
export const matchDeletedKeys = matchDeleted({
  list: operations.listDeletedKeys,
  get: operations.getDeletedKey,
  purge: operations.purgeDeletedKey,
  recover: operations.recoverDeletedKey,
});

/** `/rng`: POST only, nothing below it. */
export function matchRng(method: string, rest: readonly string[]): MatchedRoute {
  if (rest.length > 1 || (rest.length === 1 && rest[0] !== "")) throw notFound();
  return only(method, ["POST"], operations.getRandomBytes, "");
}
