import { Buffer } from "node:buffer";
import { InvalidValueError } from "../core/errors.js";

/**
 * The envelope's header (docs/envelope-format.md): what a reader needs before the first chunk.
 *
 *   magic "OENV" | version u8 (1) | flags u8 (0) | chunk size u32 BE
 *   | kid length u16 BE | kid UTF-8 | alg length u8 | alg ASCII | wrapped length u16 BE | wrapped key
 *
 * All integers are big-endian. The whole header is authenticated: its SHA-256 is part of every
 * chunk's additional data.
 */

export const MAGIC = Buffer.from("OENV", "latin1");
export const VERSION = 1;
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
const MAX_KID_BYTES = 4096;
const FIXED_BYTES = 4 + 1 + 1 + 4;

export interface EnvelopeHeader {
  chunkSize: number;
  /** The id of the key that wrapped the data key (a Key Vault key id, say). */
  kid: string;
  /** The wrap algorithm, as the wrapper named it (`RSA-OAEP-256`, `A256KW`, ...). */
  alg: string;
  wrapped: Uint8Array;
}

export function encodeHeader(h: EnvelopeHeader): Buffer {
  const kid = Buffer.from(h.kid, "utf8");
  const alg = Buffer.from(h.alg, "latin1");
  if (!Number.isInteger(h.chunkSize) || h.chunkSize < 1 || h.chunkSize > MAX_CHUNK_SIZE) {
    throw new InvalidValueError(`The envelope chunk size must be 1 byte to ${MAX_CHUNK_SIZE} bytes.`);
  }
  if (kid.byteLength > MAX_KID_BYTES) throw new InvalidValueError(`The wrapping key's id is longer than ${MAX_KID_BYTES} bytes.`);
  if (alg.byteLength === 0 || alg.byteLength > 255 || !/^[\x21-\x7e]+$/.test(h.alg)) {
    throw new InvalidValueError("The wrap algorithm's name must be 1-255 printable ASCII characters.");
  }
  if (h.wrapped.byteLength === 0 || h.wrapped.byteLength > 0xffff) throw new InvalidValueError("The wrapped data key must be 1 to 65535 bytes.");
  const out = Buffer.alloc(FIXED_BYTES + 2 + kid.byteLength + 1 + alg.byteLength + 2 + h.wrapped.byteLength);
  let at = MAGIC.copy(out, 0);
  at = out.writeUInt8(VERSION, at);
  at = out.writeUInt8(0, at);
  at = out.writeUInt32BE(h.chunkSize, at);
  at = out.writeUInt16BE(kid.byteLength, at);
  at += kid.copy(out, at);
  at = out.writeUInt8(alg.byteLength, at);
  at += alg.copy(out, at);
  at = out.writeUInt16BE(h.wrapped.byteLength, at);
  out.set(h.wrapped, at);
  return out;
}

/**
 * Reads a header from the start of `bytes`. Returns undefined while more bytes are needed, and
 * throws for anything that is not a version-1 envelope header.
 */
export function decodeHeader(bytes: Buffer): { header: EnvelopeHeader; length: number } | undefined {
  if (bytes.byteLength < FIXED_BYTES + 2) {
    if (!MAGIC.subarray(0, Math.min(4, bytes.byteLength)).equals(bytes.subarray(0, Math.min(4, bytes.byteLength)))) throw notAnEnvelope();
    return undefined;
  }
  if (!bytes.subarray(0, 4).equals(MAGIC)) throw notAnEnvelope();
  const version = bytes.readUInt8(4);
  if (version !== VERSION) throw damaged(`it is format version ${version}; this orbitra reads version ${VERSION}`);
  if (bytes.readUInt8(5) !== 0) throw damaged("its header flags are unknown");
  const chunkSize = bytes.readUInt32BE(6);
  if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) throw damaged("its chunk size is out of range");
  let at = FIXED_BYTES;
  const kidLength = bytes.readUInt16BE(at);
  if (kidLength > MAX_KID_BYTES) throw damaged("its key id is too long");
  at += 2;
  if (bytes.byteLength < at + kidLength + 1) return undefined;
  const kid = bytes.subarray(at, at + kidLength).toString("utf8");
  at += kidLength;
  const algLength = bytes.readUInt8(at);
  at += 1;
  if (bytes.byteLength < at + algLength + 2) return undefined;
  const alg = bytes.subarray(at, at + algLength).toString("latin1");
  at += algLength;
  const wrappedLength = bytes.readUInt16BE(at);
  at += 2;
  if (algLength === 0 || wrappedLength === 0) throw damaged("its header lacks the wrap algorithm or the wrapped key");
  if (bytes.byteLength < at + wrappedLength) return undefined;
  const wrapped = Buffer.from(bytes.subarray(at, at + wrappedLength));
  return { header: { chunkSize, kid, alg, wrapped }, length: at + wrappedLength };
}

export function damaged(why: string): InvalidValueError {
  return new InvalidValueError(`The envelope cannot be decrypted: ${why}. It was altered, cut short or is not an orbitra envelope.`);
}

const notAnEnvelope = (): InvalidValueError => damaged("it does not start with the envelope magic 'OENV'");
