import type { Output } from "./context.js";

/** Bytes gathered before a write: a few hundred names, one system call. */
const CHUNK_BYTES = 16 * 1024;

/**
 * Writes one line per item as the items come: the first line at once (a user watching a huge
 * listing sees it start), then in chunks, so that what is held is one chunk, never the listing.
 * Stops early when the reader has gone (`| head -1`: the output reports itself closed). When the
 * output queues (a non-blocking pipe that filled), waits for it to drain before reading on.
 */
export async function writeLines(out: Output, items: AsyncIterable<string>): Promise<void> {
  let chunk = "";
  let first = true;
  for await (const item of items) {
    chunk += `${item}\n`;
    if (first || chunk.length >= CHUNK_BYTES) {
      first = false;
      // false: the reader has gone, or the output queued the chunk (buffered) and is full.
      if (!out.write(chunk) && !(out.buffered && (await (out.drained?.() ?? true)))) return;
      chunk = "";
    }
  }
  if (chunk) out.write(chunk);
}
