import type { Output } from "./context.js";

/** Bytes gathered before a write: a few hundred names, one system call. */
const CHUNK_BYTES = 16 * 1024;

/**
 * Writes one line per item as the items come: the first line at once (a user watching a huge
 * listing sees it start), then in chunks, so that what is held is one chunk, never the listing.
 * Stops early when the reader has gone (`| head -1`: the output reports itself closed). When the
 * output queues (a non-blocking pipe that filled), waits for it to drain before reading on.
 */
export async function writeLines(out: Output, items: AsyncIterable<string>, end = "\n"): Promise<void> {
  let chunk = "";
  let first = true;
  for await (const item of items) {
    chunk += item + end;
    if (first || chunk.length >= CHUNK_BYTES) {
      first = false;
      // false: the reader has gone, or the output queued the chunk (buffered) and is full.
      if (!out.write(chunk) && !(out.buffered && (await (out.drained?.() ?? true)))) return;
      chunk = "";
    }
  }
  if (chunk) out.write(chunk);
}

/**
 * `--json` of a listing as it comes, byte for byte what toJsonLine of the collected items would
 * print: each item is its own `JSON.stringify(…, null, 2)` with its lines indented once more (a
 * JSON text has no raw newline inside a string), so the array is never held.
 */
export async function writeJsonArray(out: Output, items: AsyncIterable<unknown>): Promise<void> {
  let count = 0;
  async function* lines(): AsyncIterable<string> {
    for await (const item of items) {
      const text = JSON.stringify(item, null, 2).replace(/\n/g, "\n  ");
      yield count++ === 0 ? `[\n  ${text}` : `,\n  ${text}`;
    }
  }
  await writeLines(out, lines(), "");
  out.write(count === 0 ? "[]\n" : "\n]\n");
}
