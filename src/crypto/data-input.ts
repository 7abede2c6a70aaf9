import { Buffer } from "node:buffer";
import { InvalidValueError } from "../core/errors.js";

/** Data to encrypt, sign or hash: bytes, or a stream of them (a Node `Readable` is an async iterable). */
export type DataInput = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** The pieces of `data`, whichever form it came in; a string piece (a text-mode stream) is refused. */
export async function* piecesOf(data: DataInput): AsyncGenerator<Uint8Array> {
  if (data instanceof Uint8Array) {
    yield data;
    return;
  }
  for await (const piece of data as AsyncIterable<unknown>) {
    if (!(piece instanceof Uint8Array)) throw new InvalidValueError("Expected a stream of bytes (Buffer or Uint8Array), not text: do not set an encoding on it.");
    yield piece;
  }
}

export async function collect(pieces: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const piece of pieces) parts.push(piece);
  return Buffer.concat(parts);
}

/**
 * Regroups a stream into frames of exactly `size` bytes, keeping the last one back so the caller
 * learns which frame is final: a frame is handed out as non-final only once more bytes follow it.
 * The final frame holds 1..size bytes, or 0 for empty input.
 */
export async function* framesOf(pieces: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<{ frame: Uint8Array; final: boolean }> {
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  for await (const piece of pieces) {
    let rest = piece;
    while (heldBytes + rest.byteLength > size) {
      // More than a frame is on hand, so the first frame is not the last one.
      const need = size - heldBytes;
      held.push(rest.subarray(0, need));
      rest = rest.subarray(need);
      yield { frame: join(held, size), final: false };
      held = [];
      heldBytes = 0;
    }
    if (rest.byteLength > 0) {
      held.push(rest);
      heldBytes += rest.byteLength;
    }
  }
  yield { frame: join(held, heldBytes), final: true };
}

function join(parts: Uint8Array[], total: number): Uint8Array {
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
}
