import assert from "node:assert/strict";
import { generateKeyPairSync, createPublicKey } from "node:crypto";
import { describe, it } from "node:test";
import type { DeletedKey, KeyProperties as SdkKeyProperties, KeyVaultKey as SdkKeyVaultKey } from "@azure/keyvault-keys";
import {
  deletedKeyFromSdk,
  deletedKeyPropertiesFromSdk,
  jwkFromSdk,
  jwkToSdk,
  keyFromSdk,
  keyPropertiesFromSdk,
  rotationPolicyFromSdk,
} from "../../src/backends/sdk-key-model.js";
import type { JsonWebKey } from "../../src/crypto/types.js";

const VAULT = "https://v.vault.azure.net";
const VERSION = "0123456789abcdef0123456789abcdef";
const CREATED = new Date("2026-01-02T03:04:05Z");
const KID = `${VAULT}/keys/k1/${VERSION}`;

function props(overrides: Partial<SdkKeyProperties> = {}): SdkKeyProperties {
  return { name: "k1", vaultUrl: VAULT, id: KID, version: VERSION, enabled: true, createdOn: CREATED, updatedOn: CREATED, ...overrides };
}

const rsaJwk = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ format: "jwk" }) as { n: string; e: string };

function sdkKey(): SdkKeyVaultKey {
  return {
    name: "k1",
    id: KID,
    keyType: "RSA",
    keyOperations: ["sign", "verify"],
    key: { kid: KID, kty: "RSA", keyOps: ["sign", "verify"], n: Buffer.from(rsaJwk.n, "base64url"), e: Buffer.from(rsaJwk.e, "base64url") },
    properties: props(),
  };
}

describe("backends: the SDK's key models as ours (pure)", () => {
  it("a JWK's bytes become Key Vault's base64url, which node:crypto takes as is", () => {
    const jwk = jwkFromSdk(sdkKey().key!);
    assert.deepEqual(jwk, { kty: "RSA", kid: KID, key_ops: ["sign", "verify"], n: rsaJwk.n, e: rsaJwk.e });
    assert.equal(createPublicKey({ key: jwk as never, format: "jwk" }).asymmetricKeyType, "rsa");
  });

  it("our JWK goes back to the SDK's byte form unchanged, private members included, and refuses a member that is not base64url", () => {
    const ours: JsonWebKey = { kty: "EC", crv: "P-256", x: "AQID", y: "BAUG", d: "BwgJ", key_ops: ["sign"] };
    const sdk = jwkToSdk(ours);
    assert.deepEqual([...sdk.x!], [1, 2, 3]);
    assert.deepEqual(sdk.keyOps, ["sign"]);
    assert.deepEqual(jwkFromSdk(sdk), ours);
    assert.throws(() => jwkToSdk({ kty: "oct", k: "no+padding=" }), { code: "InvalidValue" });
  });

  it("maps a key: properties, public JWK, type and operations", () => {
    const later = new Date("2027-01-01T00:00:00Z");
    const mapped = keyFromSdk({ ...sdkKey(), properties: props({ notBefore: CREATED, expiresOn: later, tags: { a: "1" }, exportable: false, recoverableDays: 90, managed: true }) });
    assert.deepEqual(mapped.properties, {
      name: "k1",
      id: KID,
      vaultUrl: VAULT,
      version: VERSION,
      enabled: true,
      createdOn: CREATED,
      updatedOn: CREATED,
      notBefore: CREATED,
      expiresOn: later,
      tags: { a: "1" },
      exportable: false,
      recoverableDays: 90,
      managed: true,
    });
    assert.equal(mapped.keyType, "RSA");
    assert.deepEqual(mapped.keyOperations, ["sign", "verify"]);
    assert.equal(mapped.key.kid, KID);
    assert.equal("d" in mapped.key, false);
  });

  it("a list item names the key: the base id and no version; absent means Key Vault's defaults", () => {
    const item = keyPropertiesFromSdk(props(), false);
    assert.equal(item.id, `${VAULT}/keys/k1`);
    assert.equal("version" in item, false);
    const bare = keyPropertiesFromSdk({ name: "k1", vaultUrl: VAULT } as SdkKeyProperties);
    assert.equal(bare.enabled, true);
    assert.equal(bare.createdOn.getTime(), 0);
    assert.deepEqual(bare.tags, {});
  });

  it("a deleted key: recoveryId and dates from the properties, else built", () => {
    const deletedOn = new Date("2026-02-01T00:00:00Z");
    const purge = new Date("2026-05-02T00:00:00Z");
    const d = { ...sdkKey(), properties: { ...props(), recoveryId: `${VAULT}/deletedkeys/k1`, deletedOn, scheduledPurgeDate: purge } } as DeletedKey;
    const full = deletedKeyFromSdk(d);
    assert.equal(full.recoveryId, `${VAULT}/deletedkeys/k1`);
    assert.equal(full.deletedOn, deletedOn);
    assert.equal(full.scheduledPurgeDate, purge);
    assert.equal(full.key.kty, "RSA");
    const item = deletedKeyPropertiesFromSdk({ name: "k1", properties: props() } as DeletedKey);
    assert.equal(item.recoveryId, `${VAULT}/deletedkeys/k1`);
    assert.equal(item.id, `${VAULT}/keys/k1`);
    assert.equal(item.deletedOn.getTime(), 0);
  });

  it("a rotation policy: actions spelled as the model spells them, absent members left out", () => {
    const policy = rotationPolicyFromSdk({
      id: `${VAULT}/keys/k1/rotationpolicy`,
      expiresIn: "P90D",
      lifetimeActions: [{ action: "rotate" as never, timeAfterCreate: "P30D" }, { action: "Notify", timeBeforeExpiry: "P7D" }],
      createdOn: CREATED,
    });
    assert.deepEqual(policy, {
      id: `${VAULT}/keys/k1/rotationpolicy`,
      expiresIn: "P90D",
      lifetimeActions: [
        { action: "Rotate", timeAfterCreate: "P30D" },
        { action: "Notify", timeBeforeExpiry: "P7D" },
      ],
      createdOn: CREATED,
    });
    assert.deepEqual(rotationPolicyFromSdk({}), { lifetimeActions: [] });
  });
});
