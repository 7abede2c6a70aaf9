import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import fc from "fast-check";
import { decryptEnvelope, decryptEnvelopeStream, encryptEnvelope, encryptEnvelopeStream, type WrappedDataKey } from "../../src/crypto/envelope.js";
import { decodeHeader } from "../../src/crypto/envelope-header.js";
import { unwrapKey, wrapKey } from "../../src/crypto/operations.js";
import { keyFor } from "./key-fixture.js";

const KID = "https://vault.example/keys/envelope/0123456789abcdef0123456789abcdef";
const damaged = (why: RegExp) => ({ code: "InvalidValue", message: why });

/** A vault key's wrapKey / unwrapKey: RSA-OAEP-256 on a real RSA key, as Key Vault would do it. */
async function wrapping() {
  const key = await keyFor({ kty: "RSA" });
  return {
    wrapKey: async (dek: Uint8Array): Promise<WrappedDataKey> => ({ kid: KID, alg: "RSA-OAEP-256", wrapped: await wrapKey(key, "RSA-OAEP-256", dek) }),
    unwrapKey: async (w: WrappedDataKey) => unwrapKey(key, w.alg as "RSA-OAEP-256", w.wrapped),
  };
}

/** Splits an envelope into its header and its frames (chunk + 16-byte tag). */
function frames(envelope: Uint8Array, chunkSize: number): { header: Buffer; chunks: Buffer[] } {
  const bytes = Buffer.from(envelope);
  const { length } = decodeHeader(bytes)!;
  const chunks: Buffer[] = [];
  for (let at = length; at < bytes.byteLength; at += chunkSize + 16) chunks.push(bytes.subarray(at, at + chunkSize + 16));
  return { header: bytes.subarray(0, length), chunks };
}

async function* drip(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.byteLength; i += 1) {
    const n = Math.max(1, sizes[i % sizes.length]!);
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

describe("envelope: round trips", () => {
  it("bytes in, bytes out, with a header that names the kid, the alg and the chunk size", async () => {
    const w = await wrapping();
    const data = randomBytes(200_000);
    const envelope = await encryptEnvelope(data, { wrapKey: w.wrapKey });
    const { header } = decodeHeader(Buffer.from(envelope))!;
    assert.deepEqual({ kid: header.kid, alg: header.alg, chunkSize: header.chunkSize }, { kid: KID, alg: "RSA-OAEP-256", chunkSize: 65536 });
    assert.equal(header.wrapped.byteLength, 256);
    // 4 chunks of plaintext (3 x 64 KiB + the rest), 16 bytes of tag each.
    assert.equal(envelope.byteLength - decodeHeader(Buffer.from(envelope))!.length, 200_000 + 4 * 16);
    assert.deepEqual(Buffer.from(await decryptEnvelope(envelope, w)), data);
  });

  it("a fresh data key per envelope: the same data encrypts to different bytes", async () => {
    const w = await wrapping();
    const data = Buffer.alloc(1000, 7);
    const a = Buffer.from(await encryptEnvelope(data, { wrapKey: w.wrapKey }));
    const b = Buffer.from(await encryptEnvelope(data, { wrapKey: w.wrapKey }));
    assert.notDeepEqual(a.subarray(-1016), b.subarray(-1016));
  });

  it("empty data is one empty final chunk", async () => {
    const w = await wrapping();
    const envelope = await encryptEnvelope(new Uint8Array(0), { wrapKey: w.wrapKey });
    assert.equal(frames(envelope, 65536).chunks.length, 1);
    assert.equal((await decryptEnvelope(envelope, w)).byteLength, 0);
  });

  it("Node streams in and out: a Readable of odd-sized pieces, piped through both directions", async () => {
    const w = await wrapping();
    const data = randomBytes(10_000);
    const encrypted = Readable.from(encryptEnvelopeStream(Readable.from(drip(data, [1, 999, 17, 4096])), { wrapKey: w.wrapKey, chunkSize: 1024 }));
    const decrypted = Readable.from(decryptEnvelopeStream(encrypted, w));
    const parts: Buffer[] = [];
    for await (const part of decrypted) parts.push(part as Buffer);
    assert.deepEqual(Buffer.concat(parts), data);
    assert.equal(parts.length, 10);
  });

  it("property: any size around chunk boundaries, cut into any pieces, round-trips", async () => {
    const w = await wrapping();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: -1, max: 1 }),
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 8 }),
        async (chunkSize, chunks, delta, pieces) => {
          const data = randomBytes(Math.max(0, chunks * chunkSize + delta));
          const envelope = await encryptEnvelope(drip(data, pieces), { wrapKey: w.wrapKey, chunkSize });
          const back = await decryptEnvelope(drip(envelope, pieces), w);
          assert.deepEqual(Buffer.from(back), data);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("envelope: tampering is detected", () => {
  const chunkSize = 100;
  const setup = async () => {
    const w = await wrapping();
    const data = randomBytes(450);
    const envelope = Buffer.from(await encryptEnvelope(data, { wrapKey: w.wrapKey, chunkSize }));
    return { w, data, envelope, ...frames(envelope, chunkSize) };
  };

  it("a flipped byte in any chunk or tag", async () => {
    const { w, envelope, header } = await setup();
    for (const at of [header.byteLength, header.byteLength + 150, envelope.byteLength - 1]) {
      const bad = Buffer.from(envelope);
      bad.writeUInt8(bad.readUInt8(at) ^ 0x40, at);
      await assert.rejects(decryptEnvelope(bad, w), damaged(/does not authenticate/));
    }
  });

  it("a flipped byte in the header's kid: the header is authenticated too", async () => {
    const { w, envelope } = await setup();
    const bad = Buffer.from(envelope);
    const at = envelope.indexOf("keys/envelope");
    bad.writeUInt8(bad.readUInt8(at) ^ 1, at);
    await assert.rejects(decryptEnvelope(bad, w), damaged(/chunk 0 does not authenticate/));
  });

  it("the last chunk dropped, or cut short", async () => {
    const { w, header, chunks } = await setup();
    assert.equal(chunks.length, 5);
    await assert.rejects(decryptEnvelope(Buffer.concat([header, ...chunks.slice(0, 4)]), w), damaged(/chunk 3 does not authenticate/));
    await assert.rejects(decryptEnvelope(Buffer.concat([header, ...chunks.slice(0, 4), chunks[4]!.subarray(0, 10)]), w), damaged(/last chunk is cut short/));
    await assert.rejects(decryptEnvelope(header, w), damaged(/it has no chunks/));
    await assert.rejects(decryptEnvelope(header.subarray(0, 20), w), damaged(/header is cut short/));
  });

  it("chunks reordered, repeated, or one appended", async () => {
    const { w, header, chunks } = await setup();
    const [c0, c1, c2, c3, c4] = chunks as [Buffer, Buffer, Buffer, Buffer, Buffer];
    await assert.rejects(decryptEnvelope(Buffer.concat([header, c0, c2, c1, c3, c4]), w), damaged(/chunk 1 does not authenticate/));
    await assert.rejects(decryptEnvelope(Buffer.concat([header, c0, c0, c1, c2, c3, c4]), w), damaged(/chunk 1 does not authenticate/));
    await assert.rejects(decryptEnvelope(Buffer.concat([header, c0, c1, c2, c3, c4, c4]), w), damaged(/chunk 4 does not authenticate/));
  });

  it("the stream form hands out the good chunks, then fails", async () => {
    const { w, data, header, chunks } = await setup();
    const got: Uint8Array[] = [];
    await assert.rejects(async () => {
      for await (const part of decryptEnvelopeStream(Buffer.concat([header, ...chunks.slice(0, 4)]), w)) got.push(part);
    }, damaged(/chunk 3 does not authenticate/));
    assert.deepEqual(Buffer.concat(got), data.subarray(0, 300));
  });

  it("another vault key cannot unwrap the data key; not an envelope is said so", async () => {
    const { envelope } = await setup();
    const other = await keyFor({ kty: "RSA-HSM", keySize: 3072 });
    await assert.rejects(decryptEnvelope(envelope, { unwrapKey: (w) => unwrapKey(other, "RSA-OAEP-256", w.wrapped) }), { code: "InvalidValue", serviceCode: "BadParameter" });
    await assert.rejects(decryptEnvelope(Buffer.from("PK\u0003\u0004 a zip file"), { unwrapKey: async () => new Uint8Array(32) }), damaged(/does not start with the envelope magic/));
    await assert.rejects(decryptEnvelope(envelope, { unwrapKey: async () => new Uint8Array(16) }), damaged(/wrong size/));
  });
});
