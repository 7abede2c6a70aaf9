import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DeletedSecret, SecretProperties as SdkSecretProperties } from "@azure/keyvault-secrets";
import { fromSdk, fromSdkDeleted } from "../../src/backends/sdk-model.js";

const VAULT = "https://v.vault.azure.net";
const VERSION = "0123456789abcdef0123456789abcdef";
const CREATED = new Date("2026-01-02T03:04:05Z");

function sdk(overrides: Partial<SdkSecretProperties> = {}): SdkSecretProperties {
  return { name: "db", vaultUrl: VAULT, id: `${VAULT}/secrets/db/${VERSION}`, version: VERSION, enabled: true, createdOn: CREATED, updatedOn: CREATED, ...overrides };
}

describe("backends: the SDK's secret models as ours (pure)", () => {
  it("maps every field the SDK gives, and only those", () => {
    const later = new Date("2027-01-01T00:00:00Z");
    assert.deepEqual(
      fromSdk(sdk({ notBefore: CREATED, expiresOn: later, contentType: "text/plain", tags: { a: "1" }, recoveryLevel: "Recoverable+Purgeable", recoverableDays: 90, managed: true })),
      {
        name: "db",
        id: `${VAULT}/secrets/db/${VERSION}`,
        vaultUrl: VAULT,
        version: VERSION,
        enabled: true,
        createdOn: CREATED,
        updatedOn: CREATED,
        notBefore: CREATED,
        expiresOn: later,
        contentType: "text/plain",
        tags: { a: "1" },
        recoveryLevel: "Recoverable+Purgeable",
        recoverableDays: 90,
        managed: true,
      },
    );
    assert.deepEqual(Object.keys(fromSdk(sdk())).sort(), ["createdOn", "enabled", "id", "name", "tags", "updatedOn", "vaultUrl", "version"]);
  });

  it("a list item names the secret: the base id and no version", () => {
    const item = fromSdk(sdk(), false);
    assert.equal(item.id, `${VAULT}/secrets/db`);
    assert.equal("version" in item, false);
  });

  it("gives what Key Vault means by absent: enabled, epoch dates, updated = created, a copy of tags", () => {
    const tags = { t: "v" };
    const bare = fromSdk({ name: "db", vaultUrl: VAULT, id: undefined, tags } as unknown as SdkSecretProperties);
    assert.equal(bare.enabled, true);
    assert.equal(bare.id, `${VAULT}/secrets/db`);
    assert.equal(bare.createdOn.getTime(), 0);
    assert.notEqual(bare.tags, tags, "not the SDK's object");
    const { updatedOn: _dropped, ...noUpdated } = sdk();
    assert.equal(fromSdk(noUpdated).updatedOn, CREATED);
    assert.equal(fromSdk(sdk({ enabled: false })).enabled, false);
  });

  it("a deleted secret: recoveryId and dates, from the top level or the properties, else built", () => {
    const deletedOn = new Date("2026-02-01T00:00:00Z");
    const purge = new Date("2026-05-02T00:00:00Z");
    const d = { name: "db", properties: sdk(), recoveryId: `${VAULT}/deletedsecrets/db`, deletedOn, scheduledPurgeDate: purge } as DeletedSecret;
    const mapped = fromSdkDeleted(d);
    assert.equal(mapped.recoveryId, `${VAULT}/deletedsecrets/db`);
    assert.equal(mapped.deletedOn, deletedOn);
    assert.equal(mapped.scheduledPurgeDate, purge);
    assert.equal(mapped.id, `${VAULT}/secrets/db`, "a deleted secret's id is the base id");
    const built = fromSdkDeleted({ name: "db", properties: sdk() } as DeletedSecret);
    assert.equal(built.recoveryId, `${VAULT}/deletedsecrets/db`);
    assert.equal(built.deletedOn.getTime(), 0);
  });
});
