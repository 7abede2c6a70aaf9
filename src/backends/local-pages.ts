import type { Page, PageRequest } from "../store/types.js";

/** Listings read the store this many rows at a time, so a huge vault never sits in memory twice. */
const PAGE_SIZE = 500;

/** Every item of a paged store listing, one page in memory at a time. */
export function* pages<T>(read: (page: PageRequest) => Page<T>): Generator<T> {
  let after: string | undefined;
  do {
    const page = read(after === undefined ? { limit: PAGE_SIZE } : { after, limit: PAGE_SIZE });
    yield* page.items;
    after = page.next;
  } while (after !== undefined);
}
