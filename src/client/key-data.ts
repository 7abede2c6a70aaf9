import type { KeyCryptoResult } from "../backends/keys-backend.js";
import { InvalidValueError } from "../core/errors.js";
import type { DataInput } from "../crypto/data-input.js";
import { decryptEnvelope, decryptEnvelopeStream, encryptEnvelope, encryptEnvelopeStream, type WrappedDataKey } from "../crypto/envelope.js";
import { digestOf } from "../crypto/sign-data.js";
import type { EncryptionAlgorithm, KeyType, SignatureAlgorithm } from "../crypto/types.js";
import { assertEncryptionAlgorithm } from "./key-input.js";
import type { OrbitraKeysClient } from "./keys-client.js";
import type { KeyVersionOption } from "./keys-options.js";

/**
 * What the keys client adds to Key Vault's operations: signing data rather than a digest, and the
 * envelope format (src/crypto/envelope.ts) for data bigger than one RSA block. The data never goes
 * to the vault: only its digest, or the 32-byte data key to wrap.
 */

export interface EnvelopeOptions extends KeyVersionOption {
  /** The wrap algorithm: RSA-OAEP-256 for an RSA key and A256KW for an oct key when absent. */
  algorithm?: EncryptionAlgorithm;
  /** Plaintext bytes per chunk; 64 KiB by default. */
  chunkSize?: number;
}

export async function signDataWith(
  client: OrbitraKeysClient,
  name: string,
  algorithm: SignatureAlgorithm,
  data: DataInput,
  options: KeyVersionOption,
): Promise<KeyCryptoResult> {
  return client.sign(name, algorithm, await digestOf(algorithm, data), options);
}

export async function verifyDataWith(
  client: OrbitraKeysClient,
  name: string,
  algorithm: SignatureAlgorithm,
  data: DataInput,
  signature: Uint8Array,
  options: KeyVersionOption,
): Promise<boolean> {
  return client.verify(name, algorithm, await digestOf(algorithm, data), signature, options);
}

/** The wrap algorithm a key of this type takes by default; an EC key cannot wrap. */
export function defaultWrapAlgorithm(keyType: KeyType, name: string): EncryptionAlgorithm {
  if (keyType.startsWith("RSA")) return "RSA-OAEP-256";
  if (keyType.startsWith("oct")) return "A256KW";
  throw new InvalidValueError(`Key ${name} is an ${keyType} key, which cannot wrap a data key: use an RSA or oct key for envelopes.`, {
    kind: "key",
    objectName: name,
  });
}

function wrapperOf(client: OrbitraKeysClient, name: string, options: EnvelopeOptions) {
  return async (dataKey: Uint8Array): Promise<WrappedDataKey> => {
    if (options.algorithm !== undefined) assertEncryptionAlgorithm(options.algorithm, name);
    const version = options.version !== undefined ? { version: options.version } : {};
    const algorithm = options.algorithm ?? defaultWrapAlgorithm((await client.getKey(name, version)).keyType, name);
    const wrapped = await client.wrapKey(name, algorithm, dataKey, version);
    return { kid: wrapped.keyId, alg: algorithm, wrapped: wrapped.result };
  };
}

const KID = /\/keys\/([0-9a-zA-Z-]{1,127})\/([0-9a-fA-F]{32})$/;

function unwrapperOf(client: OrbitraKeysClient) {
  return async ({ kid, alg, wrapped }: WrappedDataKey): Promise<Uint8Array> => {
    const match = KID.exec(kid);
    if (!match) throw new InvalidValueError("The envelope's header does not name a key version (…/keys/NAME/VERSION); it was not made by orbitra's encryptEnvelope.");
    assertEncryptionAlgorithm(alg);
    return (await client.unwrapKey(match[1]!, alg, wrapped, { version: match[2]! })).result;
  };
}

export function encryptEnvelopeWith(client: OrbitraKeysClient, name: string, data: DataInput, options: EnvelopeOptions): Promise<Uint8Array> {
  return encryptEnvelope(data, { wrapKey: wrapperOf(client, name, options), ...chunking(options) });
}

export function encryptEnvelopeStreamWith(client: OrbitraKeysClient, name: string, data: DataInput, options: EnvelopeOptions): AsyncGenerator<Uint8Array> {
  return encryptEnvelopeStream(data, { wrapKey: wrapperOf(client, name, options), ...chunking(options) });
}

export function decryptEnvelopeWith(client: OrbitraKeysClient, envelope: DataInput): Promise<Uint8Array> {
  return decryptEnvelope(envelope, { unwrapKey: unwrapperOf(client) });
}

export function decryptEnvelopeStreamWith(client: OrbitraKeysClient, envelope: DataInput): AsyncGenerator<Uint8Array> {
  return decryptEnvelopeStream(envelope, { unwrapKey: unwrapperOf(client) });
}

function chunking(options: EnvelopeOptions): { chunkSize?: number } {
  return options.chunkSize !== undefined ? { chunkSize: options.chunkSize } : {};
}
