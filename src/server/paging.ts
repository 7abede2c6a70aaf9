import type { Page, PageRequest } from "../store/types.js";
import { badParameter, shorten } from "./errors.js";
import type { ReadonlyQuery } from "./request-memo.js";

/** Key Vault's page size cap, and its default when `maxresults` is absent (docs/keyvault-wire.md §6). */
export const MAX_RESULTS = 25;

/** What a list request asked for: the page size, the store cursor, and whether maxresults was given. */
export interface ListQuery {
  page: Required<Pick<PageRequest, "limit">> & Pick<PageRequest, "after">;
  /** Echoed in nextLink only when the client sent it, as Key Vault keeps "the original maxresults". */
  maxResults?: number;
}

/** `maxresults` (1..25, default 25) and `$skiptoken` (the store's opaque cursor) from a list query. */
export function parseListQuery(query: ReadonlyQuery): ListQuery {
  const raw = query.get("maxresults");
  let maxResults: number | undefined;
  if (raw !== null && raw !== "") {
    const n = Number(raw);
    if (!/^\d{1,3}$/.test(raw) || n < 1 || n > MAX_RESULTS) {
      throw badParameter(`maxresults must be a whole number from 1 to ${MAX_RESULTS}, not '${shorten(raw, 20)}'.`);
    }
    maxResults = n;
  }
  const after = query.get("$skiptoken");
  const page = after ? { limit: maxResults ?? MAX_RESULTS, after } : { limit: maxResults ?? MAX_RESULTS };
  return maxResults === undefined ? { page } : { page, maxResults };
}

export interface NextLinkParts {
  /** `https://host:port`, from the request. */
  origin: string;
  /** The list's path as the client should call it, e.g. `/secrets` or `/secrets/NAME/versions`. */
  path: string;
  apiVersion: string;
  maxResults?: number | undefined;
}

/**
 * An absolute nextLink, as the real service sends: the SDK follows it verbatim and adds no
 * api-version of its own when one is there, so it must keep the client's version and page size.
 */
export function nextLink(cursor: string | undefined, parts: NextLinkParts): string | null {
  if (cursor === undefined) return null;
  const query = `api-version=${encodeURIComponent(parts.apiVersion)}&$skiptoken=${encodeURIComponent(cursor)}`;
  return `${parts.origin}${parts.path}?${query}${parts.maxResults === undefined ? "" : `&maxresults=${parts.maxResults}`}`;
}

/** `{"value":[...], "nextLink": absolute URL | null}`: `value` is always an array (the SDK requires it). */
export function listResult(items: unknown[], cursor: string | undefined, parts: NextLinkParts): { value: unknown[]; nextLink: string | null } {
  return { value: items, nextLink: nextLink(cursor, parts) };
}

/** What a list operation needs of its request: the query, and where ids and nextLinks point. */
export interface ListRequest {
  query: ReadonlyQuery;
  origin: string;
  apiVersion: string;
}

/**
 * A whole list operation of any kind: parse `maxresults` / `$skiptoken`, read one page from the
 * store, shape each item, and link the next page under `path` (e.g. `/keys/NAME/versions`).
 */
export function listPage<T>(request: ListRequest, path: string, read: (page: ListQuery["page"]) => Page<T>, item: (t: T) => unknown) {
  const { page, maxResults } = parseListQuery(request.query);
  const result = read(page);
  return listResult(result.items.map(item), result.next, { origin: request.origin, path, apiVersion: request.apiVersion, maxResults });
}
