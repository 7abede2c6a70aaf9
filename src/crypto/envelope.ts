import { Buffer } from "node:buffer";
import { createCipheriv, createDecipheriv, createHash, createSecretKey, randomBytes, type KeyObject } from "node:crypto";
import { isOrbitraError } from "../core/errors.js";
import { collect, framesOf, piecesOf, type DataInput } from "./data-input.js";
import { damaged, decodeHeader, encodeHeader, type EnvelopeHeader } from "./envelope-header.js";

/**
 * Envelope encryption (docs/envelope-format.md): data of any size under a fresh AES-256-GCM data
 * key, in chunks, the data key wrapped by a vault key through the caller's `wrapKey`. Each chunk's
 * nonce and additional data carry its index and a final-chunk flag, so reordered, dropped,
 * repeated or appended chunks fail to authenticate, and so does a stream cut at a chunk boundary.
 */

/** What `wrapKey` answers: the wrapping key's id, the algorithm, and the wrapped data key. */
export interface WrappedDataKey {
  kid: string;
  alg: string;
  wrapped: Uint8Array;
}

export interface EnvelopeEncryptOptions {
  /** Wraps the 32-byte data key (with a Key Vault key's wrapKey, say). */
  wrapKey(dataKey: Uint8Array): Promise<WrappedDataKey>;
  /** Plaintext bytes per chunk; 64 KiB by default, 1 byte to 16 MiB. */
  chunkSize?: number;
}

export interface EnvelopeDecryptOptions {
  /** Unwraps the data key the header carries; `kid` says which key wrapped it. */
  unwrapKey(wrapped: WrappedDataKey): Promise<Uint8Array>;
}

export const DEFAULT_CHUNK_SIZE = 64 * 1024;
const TAG_BYTES = 16;
const DATA_KEY_BYTES = 32;

/** Envelope bytes for `data` (bytes or a stream), all at once. */
export async function encryptEnvelope(data: DataInput, options: EnvelopeEncryptOptions): Promise<Uint8Array> {
  return collect(encryptEnvelopeStream(data, options));
}

/** The envelope as a stream: the header first, then each chunk's ciphertext and its tag. */
export async function* encryptEnvelopeStream(data: DataInput, options: EnvelopeEncryptOptions): AsyncGenerator<Uint8Array> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const dataKey = randomBytes(DATA_KEY_BYTES);
  const key = createSecretKey(dataKey);
  let header: Buffer;
  try {
    const wrapped = await options.wrapKey(dataKey);
    header = encodeHeader({ chunkSize, kid: wrapped.kid, alg: wrapped.alg, wrapped: wrapped.wrapped });
  } finally {
    // The KeyObject holds its own copy; these bytes are not needed once wrapped.
    dataKey.fill(0);
  }
  yield header;
  const headerHash = createHash("sha256").update(header).digest();
  let index = 0;
  for await (const { frame, final } of framesOf(piecesOf(data), chunkSize)) {
    const cipher = createCipheriv("aes-256-gcm", key, nonce(index, final), { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(headerHash, index, final));
    // Body and tag go out as they are: copying them into one frame would cost a pass over the data.
    yield cipher.update(frame);
    const tail = cipher.final(); // empty for GCM, which holds nothing back
    if (tail.byteLength > 0) yield tail;
    yield cipher.getAuthTag();
    index += 1;
  }
}

/**
 * The plaintext of envelope bytes (or a stream), all at once: nothing is returned unless every
 * chunk, the final one included, authenticated.
 */
export async function decryptEnvelope(data: DataInput, options: EnvelopeDecryptOptions): Promise<Uint8Array> {
  return collect(decryptEnvelopeStream(data, options));
}

/**
 * The plaintext as a stream, one piece per authenticated chunk. A stream that was cut short or
 * altered ends with an error after the good chunks before it: treat an error as "all of it is
 * untrusted" (the bytes-in-bytes-out {@link decryptEnvelope} does).
 */
export async function* decryptEnvelopeStream(data: DataInput, options: EnvelopeDecryptOptions): AsyncGenerator<Uint8Array> {
  const input = piecesOf(data)[Symbol.asyncIterator]();
  const { header, headerBytes, rest } = await readHeader(input);
  const key = await unwrapDataKey(header, options);
  const headerHash = createHash("sha256").update(headerBytes).digest();
  let index = 0;
  for await (const { frame, final } of framesOf(remaining(rest, input), header.chunkSize + TAG_BYTES)) {
    if (frame.byteLength < TAG_BYTES) throw damaged(index === 0 ? "it has no chunks" : "its last chunk is cut short");
    const decipher = createDecipheriv("aes-256-gcm", key, nonce(index, final), { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(headerHash, index, final));
    decipher.setAuthTag(frame.subarray(frame.byteLength - TAG_BYTES));
    const body = decipher.update(frame.subarray(0, frame.byteLength - TAG_BYTES));
    try {
      decipher.final();
    } catch {
      throw damaged(`chunk ${index} does not authenticate`);
    }
    yield body;
    index += 1;
  }
}

/** 96 bits: the chunk index (64, big-endian), the final flag, three zero bytes. Unique per data key. */
function nonce(index: number, final: boolean): Buffer {
  const out = Buffer.alloc(12);
  out.writeBigUInt64BE(BigInt(index), 0);
  out[8] = final ? 1 : 0;
  return out;
}

/** SHA-256(header) || index (u64 BE) || final flag: binds each chunk to this envelope's header too. */
function additionalData(headerHash: Buffer, index: number, final: boolean): Buffer {
  const out = Buffer.alloc(headerHash.byteLength + 9);
  headerHash.copy(out, 0);
  out.writeBigUInt64BE(BigInt(index), headerHash.byteLength);
  out[headerHash.byteLength + 8] = final ? 1 : 0;
  return out;
}

async function readHeader(input: AsyncIterator<Uint8Array>): Promise<{ header: EnvelopeHeader; headerBytes: Buffer; rest: Buffer }> {
  let buffered = Buffer.alloc(0);
  for (;;) {
    const parsed = decodeHeader(buffered);
    if (parsed !== undefined) {
      return { header: parsed.header, headerBytes: buffered.subarray(0, parsed.length), rest: buffered.subarray(parsed.length) };
    }
    const next = await input.next();
    if (next.done === true) throw damaged(buffered.byteLength === 0 ? "it is empty" : "its header is cut short");
    buffered = Buffer.concat([buffered, next.value]);
  }
}

async function* remaining(first: Buffer, input: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (first.byteLength > 0) yield first;
  for (;;) {
    const next = await input.next();
    if (next.done === true) return;
    yield next.value;
  }
}

async function unwrapDataKey(header: EnvelopeHeader, options: EnvelopeDecryptOptions): Promise<KeyObject> {
  let dataKey: Uint8Array;
  try {
    dataKey = await options.unwrapKey({ kid: header.kid, alg: header.alg, wrapped: header.wrapped });
  } catch (error) {
    if (isOrbitraError(error)) throw error;
    throw damaged("its data key could not be unwrapped");
  }
  if (dataKey.byteLength !== DATA_KEY_BYTES) throw damaged("its data key unwrapped to the wrong size");
  return createSecretKey(dataKey);
}
