/**
 * The cryptography floor for Key Vault keys: key material, JWK in and out, the six operations,
 * assertUsable, signData / verifyData and the envelope format. Depends on `core/` only; pure (bytes
 * and objects in and out, no storage, no HTTP), so the store, the server and the library's
 * in-process paths share it. Private material lives in node:crypto `KeyObject`s and leaves only
 * through `privateKeyToBytes` (for the store's sealing) and `privateJwk` (an exportable key's export).
 */
export * from "./types.js";
export type { KeyMaterial, RsaKeyMaterial, EcKeyMaterial, OctKeyMaterial } from "./key-material.js";
export { generateKey, generateKeySync } from "./key-generate.js";
export type { KeySpec } from "./key-generate.js";
export { importPrivateJwk, importPublicJwk, parseKeyOps } from "./jwk-import.js";
export type { JwkImportOptions } from "./jwk-import.js";
export { publicJwk, privateJwk } from "./jwk-export.js";
export { privateKeyToBytes, privateKeyFromBytes } from "./private-form.js";
export { encrypt, decrypt, wrapKey, unwrapKey, sign, verify, getRandomBytes, operationFromPath } from "./operations.js";
export type { EncryptParameters, DecryptParameters, EncryptResult } from "./operations.js";
export { assertUsable } from "./assert-usable.js";
export { ENCRYPTION, SIGNATURE } from "./algorithms.js";
export { digestOf, signData, verifyData } from "./sign-data.js";
export type { DigestSigner, DigestVerifier } from "./sign-data.js";
export type { DataInput } from "./data-input.js";
export { encryptEnvelope, encryptEnvelopeStream, decryptEnvelope, decryptEnvelopeStream, DEFAULT_CHUNK_SIZE } from "./envelope.js";
export type { WrappedDataKey, EnvelopeEncryptOptions, EnvelopeDecryptOptions } from "./envelope.js";
export { encodeBase64Url, decodeBase64Url } from "./base64url.js";
