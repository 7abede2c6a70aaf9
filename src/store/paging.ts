import { InvalidValueError } from "../core/errors.js";
import type { Page, PageRequest } from "./types.js";

/**
 * Keyset paging: a cursor is the sort key of the last row returned (base64url of JSON), so each
 * page is one index seek whatever its depth; listing 100k names page by page stays linear.
 */
export type CursorKey = readonly (string | number)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/** Parses a cursor made by {@link encodeCursor} for a sort key of this shape, or refuses it. */
export function decodeCursor(cursor: string, shape: readonly ("string" | "number")[]): CursorKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    key = undefined;
  }
  const fits =
    Array.isArray(key) &&
    key.length === shape.length &&
    key.every((part, i) => (shape[i] === "number" ? Number.isSafeInteger(part) : typeof part === "string"));
  if (!fits) throw new InvalidValueError("The paging cursor is malformed; start the listing again from the first page.");
  return key as CursorKey;
}

/** Rows to fetch: one more than asked, to learn whether another page follows. -1 = no limit. */
export function fetchLimit(page: PageRequest): number {
  if (page.limit === undefined) return -1;
  if (!Number.isSafeInteger(page.limit) || page.limit < 1) {
    throw new InvalidValueError(`A page limit must be a positive whole number, not ${String(page.limit)}.`);
  }
  return page.limit + 1;
}

export function toPage<R, T>(rows: R[], page: PageRequest, map: (row: R) => T, keyOf: (row: R) => CursorKey): Page<T> {
  if (page.limit === undefined || rows.length <= page.limit) return { items: rows.map(map) };
  const kept = rows.slice(0, page.limit);
  return { items: kept.map(map), next: encodeCursor(keyOf(kept[kept.length - 1]!)) };
}
