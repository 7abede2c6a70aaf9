import { notFound } from "../errors.js";
import type { MatchedRoute } from "./route.js";
import { matchCertificates, matchDeletedCertificates } from "./certificates.js";
import { matchDeletedKeys, matchKeys, matchRng } from "./keys.js";
import { matchDeletedSecrets, matchSecrets } from "./secrets.js";

type Matcher = (method: string, rest: readonly string[]) => MatchedRoute;

/**
 * The route table: a path's first word (lowercase) names the collection, and each kind's routes
 * module matches the rest.
 */
const TABLE: ReadonlyMap<string, Matcher> = new Map([
  ["secrets", matchSecrets],
  ["deletedsecrets", matchDeletedSecrets],
  ["keys", matchKeys],
  ["deletedkeys", matchDeletedKeys],
  ["rng", matchRng],
  ["certificates", matchCertificates],
  ["deletedcertificates", matchDeletedCertificates],
]);

/** The operation for a method and decoded path segments (without the leading empty one); 404 for an unknown collection. */
export function matchRoute(method: string, segments: readonly string[]): MatchedRoute {
  const [first, ...rest] = segments;
  const match = first === undefined ? undefined : TABLE.get(first.toLowerCase());
  if (!match) throw notFound();
  return match(method, rest);
}
