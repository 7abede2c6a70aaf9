import type { LocalVault } from "../../store/local-vault.js";
import { isValidName } from "../../core/rules.js";
import { invalidName, methodNotAllowed, notFound } from "../errors.js";
import type { ReadonlyQuery } from "../request-memo.js";

/** What every kind's routes module shares: the operation shape, the context it runs in, matching helpers. */

/** What an operation gets once the request passed auth and the api-version check. */
export interface RouteContext {
  store: LocalVault;
  /** The object name from the path ("" for the collection-wide operations). */
  name: string;
  version: string | undefined;
  query: ReadonlyQuery;
  /** `https://host[:port]` as the request named it, for ids and nextLinks. */
  origin: string;
  apiVersion: string;
  /** The JSON body, read on demand (size-limited); operations without a body never touch it. */
  json(): Promise<Record<string, unknown>>;
}

export interface RouteResult {
  status: 200 | 201 | 202 | 204;
  body?: unknown;
  /** The body already serialized (it wins over `body`): see secretBundleText. */
  text?: string;
}

export interface Operation {
  /** The SDK's name for it, for logs and tests. */
  name: string;
  action: string;
  run(context: RouteContext): RouteResult | Promise<RouteResult>;
}

export interface MatchedRoute {
  operation: Operation;
  name: string;
  version: string | undefined;
}

export function route(operation: Operation, name: string, version?: string): MatchedRoute {
  return { operation, name, version };
}

export function only(method: string, allowed: readonly string[], operation: Operation, name: string, version?: string): MatchedRoute {
  // The first allowed method is the one `operation` serves; the others are named for the Allow header.
  if (method !== allowed[0]) throw methodNotAllowed(method, allowed);
  return route(operation, name, version);
}

export const ok = (body: unknown): RouteResult => ({ status: 200, body });

/** The four operations of a kind's deleted collection (`/deletedsecrets`, `/deletedkeys`, ...). */
export interface DeletedOperations {
  list: Operation;
  get: Operation;
  purge: Operation;
  recover: Operation;
}

/**
 * `/deleted{kind}/...` after the collection word: the list, `{n}` GET (read) or DELETE (purge,
 * also with a trailing slash), and `{n}/recover` POST. The same shape for every kind.
 */
export function matchDeleted(ops: DeletedOperations): (method: string, segments: readonly string[]) => MatchedRoute {
  return (method, [name, third, ...rest]) => {
    if (name === undefined || (name === "" && third === undefined)) return only(method, ["GET"], ops.list, "");
    if (!isValidName(name)) throw invalidName(name);
    if (rest.length > 0) throw notFound();
    if (third === undefined || third === "") {
      if (method === "DELETE") return route(ops.purge, name);
      return only(method, ["GET", "DELETE"], ops.get, name);
    }
    if (third.toLowerCase() === "recover") return only(method, ["POST"], ops.recover, name);
    throw notFound();
  };
}
