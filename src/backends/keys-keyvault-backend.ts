import type { TokenCredential } from "@azure/core-auth";
import type { CryptographyClient, DecryptParameters, EncryptParameters, KeyClient, KeyVaultKey as SdkKeyVaultKey } from "@azure/keyvault-keys";
import { InvalidValueError, type ObjectKind } from "../core/errors.js";
import type { CreateKeyOptions, DeletedKey, ImportKeyOptions, KeyProperties, KeyPropertiesUpdate, KeyRotationPolicy, KeyVaultKey } from "../core/key-types.js";
import type { EncryptionAlgorithm, JsonWebKey, KeyOperation, SignatureAlgorithm } from "../crypto/types.js";
import type { KeyVaultBackendOptions } from "./keyvault-backend.js";
import type { DeletedKeyProperties, KeyCryptoRequest, KeyCryptoResult, KeysBackend } from "./keys-backend.js";
import { CryptoClientCache } from "./crypto-client-cache.js";
import { mapCryptoError } from "./map-crypto-error.js";
import { callSdk, listSdk, pollOptions } from "./sdk-calls.js";
import { deletedKeyFromSdk, deletedKeyPropertiesFromSdk, jwkToSdk, keyFromSdk, keyPropertiesFromSdk, rotationPolicyFromSdk } from "./sdk-key-model.js";
import { sdkPipelineOptions } from "./sdk-options.js";

const KIND: ObjectKind = "key";

type SdkAttributes = { enabled?: boolean; notBefore?: Date; expiresOn?: Date; exportable?: boolean; tags?: Record<string, string>; keyOps?: KeyOperation[] };

/**
 * The SDK (4.10) writes `nbf` / `exp` as `(ms / 1000) | 0`, a 32-bit integer: a later date than
 * this goes out negative, and the vault refuses it or stores 1901. Refused here, saying why.
 */
const SDK_LAST_DATE_MS = 2 ** 31 * 1000 - 1000;

function sdkDate(date: Date, what: string): Date {
  if (date.getTime() > SDK_LAST_DATE_MS) {
    throw new InvalidValueError(
      `${what} ${date.toISOString()} is after 2038-01-19T03:14:07Z, the last date the Azure SDK for keys can send; choose an earlier one for a Key Vault target.`,
      { kind: "key" },
    );
  }
  return date;
}

/** The model's attributes as the SDK's options, absent members left out (the SDK would send them as null). */
function sdkAttributes(o: CreateKeyOptions | ImportKeyOptions | KeyPropertiesUpdate): SdkAttributes {
  const out: SdkAttributes = {};
  if (o.enabled !== undefined) out.enabled = o.enabled;
  if (o.notBefore !== undefined) out.notBefore = sdkDate(o.notBefore, "notBefore");
  if (o.expiresOn !== undefined) out.expiresOn = sdkDate(o.expiresOn, "expiresOn");
  if ("exportable" in o && o.exportable !== undefined) out.exportable = o.exportable;
  if (o.tags !== undefined) out.tags = { ...o.tags };
  if ("keyOps" in o && o.keyOps !== undefined) out.keyOps = [...o.keyOps];
  return out;
}

/**
 * Keys behind the Key Vault REST API, through the official `KeyClient` and `CryptographyClient`
 * on the same credential and pipeline options as the secrets backend (sdk-options.ts). The SDK
 * runs some operations locally on the public key (RSA-OAEP encrypt and wrap, RS and PS verify)
 * and checks nbf / exp / key_ops itself first; its refusals get the same errors as the vault's.
 */
export class KeyVaultKeysBackend implements KeysBackend {
  readonly vaultUrl: string;
  readonly #client: KeyClient;
  readonly #targets: CryptoClientCache;
  readonly #pollIntervalMs: number | undefined;

  private constructor(client: KeyClient, cryptoFor: (key: SdkKeyVaultKey) => CryptographyClient, options: KeyVaultBackendOptions) {
    this.#client = client;
    this.#targets = new CryptoClientCache((name, version) => this.#sdkKey(name, version), cryptoFor);
    this.vaultUrl = options.vaultUrl;
    this.#pollIntervalMs = options.pollIntervalMs;
  }

  /** Loads the SDK on first use only, as the secrets backend does. */
  static async create(options: KeyVaultBackendOptions & { credential: TokenCredential }): Promise<KeyVaultKeysBackend> {
    const { KeyClient, CryptographyClient } = await import("@azure/keyvault-keys");
    const pipeline = sdkPipelineOptions(options, { offsetMs: 0 });
    const client = new KeyClient(options.vaultUrl, options.credential, pipeline);
    return new KeyVaultKeysBackend(client, (key) => new CryptographyClient(key, options.credential, pipeline), options);
  }

  async createKey(name: string, options: CreateKeyOptions): Promise<KeyVaultKey> {
    return this.#changed(name, async () => {
      const hsm = options.keyType.endsWith("-HSM");
      const common = { ...sdkAttributes(options), ...(hsm ? { hsm } : {}) };
      const size = options.keySize !== undefined ? { keySize: options.keySize } : {};
      const created = await this.#call(name, () => {
        if (options.keyType.startsWith("RSA")) {
          return this.#client.createRsaKey(name, { ...common, ...size, ...(options.publicExponent !== undefined ? { publicExponent: options.publicExponent } : {}) });
        }
        if (options.keyType.startsWith("EC")) return this.#client.createEcKey(name, { ...common, ...(options.curve ? { curve: options.curve } : {}) });
        return this.#client.createOctKey(name, { ...common, ...size });
      });
      return keyFromSdk(created);
    });
  }

  async importKey(name: string, jwk: JsonWebKey, options: ImportKeyOptions = {}): Promise<KeyVaultKey> {
    return this.#changed(name, async () => {
      const sdkJwk = jwkToSdk(jwk);
      const hsm = options.hardwareProtected !== undefined ? { hardwareProtected: options.hardwareProtected } : {};
      return keyFromSdk(await this.#call(name, () => this.#client.importKey(name, sdkJwk, { ...sdkAttributes(options), ...hsm })));
    });
  }

  async getKey(name: string, version?: string): Promise<KeyVaultKey> {
    return keyFromSdk(await this.#sdkKey(name, version));
  }

  async updateKeyProperties(name: string, version: string | undefined, update: KeyPropertiesUpdate): Promise<KeyVaultKey> {
    return this.#changed(name, async () => {
      const target = version ?? (await this.#sdkKey(name)).properties.version!;
      return keyFromSdk(await this.#call(name, () => this.#client.updateKeyProperties(name, target, sdkAttributes(update))));
    });
  }

  async *listKeys(): AsyncIterable<KeyProperties> {
    yield* this.#list(undefined, () => this.#client.listPropertiesOfKeys(), (p) => keyPropertiesFromSdk(p, false));
  }

  async *listKeyVersions(name: string): AsyncIterable<KeyProperties> {
    yield* this.#list(name, () => this.#client.listPropertiesOfKeyVersions(name), (p) => keyPropertiesFromSdk(p));
  }

  async deleteKey(name: string): Promise<DeletedKey> {
    return this.#changed(name, async () => {
      const poller = await this.#call(name, () => this.#client.beginDeleteKey(name, this.#pollOptions()));
      return deletedKeyFromSdk(await this.#call(name, () => poller.pollUntilDone()));
    });
  }

  async getDeletedKey(name: string): Promise<DeletedKey> {
    return deletedKeyFromSdk(await this.#call(name, () => this.#client.getDeletedKey(name)));
  }

  async *listDeletedKeys(): AsyncIterable<DeletedKeyProperties> {
    yield* this.#list(undefined, () => this.#client.listDeletedKeys(), deletedKeyPropertiesFromSdk);
  }

  async recoverDeletedKey(name: string): Promise<KeyVaultKey> {
    return this.#changed(name, async () => {
      const poller = await this.#call(name, () => this.#client.beginRecoverDeletedKey(name, this.#pollOptions()));
      // The SDK types the recover poller's result as a DeletedKey; it is the recovered KeyVaultKey.
      return keyFromSdk(await this.#call(name, () => poller.pollUntilDone()));
    });
  }

  async purgeDeletedKey(name: string): Promise<void> {
    return this.#changed(name, async () => {
      await this.#call(name, () => this.#client.purgeDeletedKey(name));
    });
  }

  async backupKey(name: string): Promise<Uint8Array> {
    return (await this.#call(name, () => this.#client.backupKey(name))) ?? new Uint8Array();
  }

  async restoreKeyBackup(backup: Uint8Array): Promise<KeyVaultKey> {
    const restored = keyFromSdk(await this.#call(undefined, () => this.#client.restoreKeyBackup(backup)));
    this.#targets.forget(restored.properties.name);
    return restored;
  }

  async rotateKey(name: string): Promise<KeyVaultKey> {
    return this.#changed(name, async () => {
      return keyFromSdk(await this.#call(name, () => this.#client.rotateKey(name)));
    });
  }

  async getKeyRotationPolicy(name: string): Promise<KeyRotationPolicy> {
    return rotationPolicyFromSdk(await this.#call(name, () => this.#client.getKeyRotationPolicy(name)));
  }

  async updateKeyRotationPolicy(name: string, policy: KeyRotationPolicy): Promise<KeyRotationPolicy> {
    const properties = {
      lifetimeActions: policy.lifetimeActions.map((a) => ({ ...a })),
      ...(policy.expiresIn !== undefined ? { expiresIn: policy.expiresIn } : {}),
    };
    return rotationPolicyFromSdk(await this.#call(name, () => this.#client.updateKeyRotationPolicy(name, properties)));
  }

  async encrypt(name: string, version: string | undefined, request: KeyCryptoRequest): Promise<KeyCryptoResult> {
    return this.#crypto(name, version, "encrypt", async (c) => {
      const parameters = {
        algorithm: request.algorithm,
        plaintext: request.value,
        ...(request.iv ? { iv: request.iv } : {}),
        ...(request.additionalAuthenticatedData ? { additionalAuthenticatedData: request.additionalAuthenticatedData } : {}),
      };
      const r = await c.encrypt(parameters as EncryptParameters);
      return withAesParts({ result: r.result, keyId: r.keyID, algorithm: request.algorithm }, r);
    });
  }

  async decrypt(name: string, version: string | undefined, request: KeyCryptoRequest): Promise<KeyCryptoResult> {
    return this.#crypto(name, version, "decrypt", async (c) => {
      const parameters = {
        algorithm: request.algorithm,
        ciphertext: request.value,
        ...(request.iv ? { iv: request.iv } : {}),
        ...(request.additionalAuthenticatedData ? { additionalAuthenticatedData: request.additionalAuthenticatedData } : {}),
        ...(request.authenticationTag ? { authenticationTag: request.authenticationTag } : {}),
      };
      const r = await c.decrypt(parameters as DecryptParameters);
      return { result: r.result, keyId: r.keyID, algorithm: request.algorithm };
    });
  }

  async wrapKey(name: string, version: string | undefined, algorithm: EncryptionAlgorithm, key: Uint8Array): Promise<KeyCryptoResult> {
    return this.#crypto(name, version, "wrapKey", async (c) => {
      const r = await c.wrapKey(algorithm as Parameters<CryptographyClient["wrapKey"]>[0], key);
      return { result: r.result, keyId: r.keyID, algorithm };
    });
  }

  async unwrapKey(name: string, version: string | undefined, algorithm: EncryptionAlgorithm, wrapped: Uint8Array): Promise<KeyCryptoResult> {
    return this.#crypto(name, version, "unwrapKey", async (c) => {
      const r = await c.unwrapKey(algorithm as Parameters<CryptographyClient["unwrapKey"]>[0], wrapped);
      return { result: r.result, keyId: r.keyID, algorithm };
    });
  }

  async sign(name: string, version: string | undefined, algorithm: SignatureAlgorithm, digest: Uint8Array): Promise<KeyCryptoResult> {
    return this.#crypto(name, version, "sign", async (c) => {
      const r = await c.sign(algorithm, digest);
      return { result: r.result, keyId: r.keyID, algorithm };
    });
  }

  async verify(name: string, version: string | undefined, algorithm: SignatureAlgorithm, digest: Uint8Array, signature: Uint8Array): Promise<boolean> {
    const { client } = await this.#targets.get(name, version);
    try {
      return (await client.verify(algorithm, digest, signature)).result;
    } catch (error) {
      throw mapCryptoError(error, "verify", this.vaultUrl, name);
    }
  }

  async getRandomBytes(count: number): Promise<Uint8Array> {
    return this.#call(undefined, () => this.#client.getRandomBytes(count));
  }

  async close(): Promise<void> {
    // Nothing to release: sockets are pooled by the HTTP agent.
  }

  async #sdkKey(name: string, version?: string): Promise<SdkKeyVaultKey> {
    return this.#call(name, () => this.#client.getKey(name, version === undefined ? {} : { version }));
  }

  /** One crypto call on the named (or latest) version, read first (and kept a few seconds: crypto-client-cache.ts). */
  async #crypto(
    name: string,
    version: string | undefined,
    op: "encrypt" | "decrypt" | "wrapKey" | "unwrapKey" | "sign",
    run: (client: CryptographyClient) => Promise<Omit<KeyCryptoResult, "keyId"> & { keyId: string | undefined }>,
  ): Promise<KeyCryptoResult> {
    const { key, client } = await this.#targets.get(name, version);
    try {
      const done = await run(client);
      return { ...done, keyId: done.keyId ?? key.id ?? `${this.vaultUrl}/keys/${name}/${key.properties.version ?? ""}` };
    } catch (error) {
      throw mapCryptoError(error, op, this.vaultUrl, name);
    }
  }

  /** Runs a change to `name`'s key, then drops what the crypto calls kept of it (even if the change failed halfway). */
  async #changed<T>(name: string, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } finally {
      this.#targets.forget(name);
    }
  }

  #pollOptions(): { intervalInMs?: number } {
    return pollOptions(this.#pollIntervalMs);
  }

  #call<T>(name: string | undefined, operation: () => Promise<T>): Promise<T> {
    return callSdk(this.vaultUrl, KIND, name, operation);
  }

  #list<S, T>(name: string | undefined, open: () => AsyncIterable<S>, map: (item: S) => T): AsyncIterable<T> {
    return listSdk(this.vaultUrl, KIND, name, open, map);
  }
}

function withAesParts<T extends object>(out: T, r: { iv?: Uint8Array; authenticationTag?: Uint8Array; additionalAuthenticatedData?: Uint8Array }) {
  return {
    ...out,
    ...(r.iv ? { iv: r.iv } : {}),
    ...(r.authenticationTag ? { authenticationTag: r.authenticationTag } : {}),
    ...(r.additionalAuthenticatedData ? { additionalAuthenticatedData: r.additionalAuthenticatedData } : {}),
  };
}
