import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deletedSecretBundle, deletedSecretItem, secretBundle, secretId, secretItem } from "../../src/server/routes/secrets-wire.js";
import { attributesJson } from "../../src/server/wire-common.js";
import type { StoredDeletedSecret, StoredSecret } from "../../src/store/types.js";

const ORIGIN = "https://127.0.0.1:8443";
const VERSION = "0123456789abcdef0123456789abcdef";

function stored(overrides: Partial<StoredSecret> = {}): StoredSecret {
  return {
    name: "Db-Password",
    version: VERSION,
    enabled: true,
    created: 1_700_000_000,
    updated: 1_700_000_100,
    tags: {},
    recoveryLevel: "Recoverable+Purgeable",
    recoverableDays: 90,
    ...overrides,
  };
}

function deleted(overrides: Partial<StoredDeletedSecret> = {}): StoredDeletedSecret {
  return { ...stored(), deletedDate: 1_700_001_000, scheduledPurgeDate: 1_700_001_000 + 90 * 86_400, ...overrides };
}

describe("wire: StoredSecret -> Key Vault JSON (docs/keyvault-wire.md §4, §7)", () => {
  it("attributes are Unix seconds, with recovery facts, and no nbf/exp when unset", () => {
    assert.deepEqual(attributesJson(stored()), {
      enabled: true,
      created: 1_700_000_000,
      updated: 1_700_000_100,
      recoveryLevel: "Recoverable+Purgeable",
      recoverableDays: 90,
    });
    const dated = attributesJson(stored({ notBefore: 1_600_000_000, expiresOn: 1_900_000_000, enabled: false }));
    assert.equal(dated.nbf, 1_600_000_000);
    assert.equal(dated.exp, 1_900_000_000);
    assert.equal(dated.enabled, false);
  });

  it("a SecretBundle has the value first, the versioned id on the request's origin, contentType and tags", () => {
    const bundle = secretBundle(ORIGIN, stored({ contentType: "text/plain", tags: { env: "dev" } }), "s3cret");
    assert.deepEqual(Object.keys(bundle), ["value", "id", "attributes", "contentType", "tags"]);
    assert.equal(bundle.value, "s3cret");
    assert.equal(bundle.id, `${ORIGIN}/secrets/Db-Password/${VERSION}`);
    assert.equal(bundle.contentType, "text/plain");
    assert.deepEqual(bundle.tags, { env: "dev" });
  });

  it("update, recover and restore replies carry no value; empty tags and absent contentType are left out", () => {
    const bundle = secretBundle(ORIGIN, stored());
    assert.equal("value" in bundle, false);
    assert.equal("tags" in bundle, false);
    assert.equal("contentType" in bundle, false);
  });

  it("an empty string is still a value", () => {
    assert.equal(secretBundle(ORIGIN, stored(), "").value, "");
  });

  it("list items: base id in /secrets, versioned id in /versions, never a value", () => {
    assert.equal(secretItem(ORIGIN, stored(), false).id, `${ORIGIN}/secrets/Db-Password`);
    assert.equal(secretItem(ORIGIN, stored(), true).id, `${ORIGIN}/secrets/Db-Password/${VERSION}`);
    assert.equal("value" in secretItem(ORIGIN, stored(), true), false);
  });

  it("a DeletedSecretBundle adds recoveryId, deletedDate and scheduledPurgeDate, and has no value", () => {
    const bundle = deletedSecretBundle(ORIGIN, deleted({ tags: { a: "b" } }));
    assert.equal(bundle.id, `${ORIGIN}/secrets/Db-Password/${VERSION}`);
    assert.equal(bundle.recoveryId, `${ORIGIN}/deletedsecrets/Db-Password`);
    assert.equal(bundle.deletedDate, 1_700_001_000);
    assert.equal(bundle.scheduledPurgeDate - bundle.deletedDate, 90 * 86_400);
    assert.deepEqual(bundle.tags, { a: "b" });
    assert.equal("value" in bundle, false);
  });

  it("a DeletedSecretItem has the base id", () => {
    const item = deletedSecretItem(ORIGIN, deleted());
    assert.equal(item.id, `${ORIGIN}/secrets/Db-Password`);
    assert.equal(item.recoveryId, `${ORIGIN}/deletedsecrets/Db-Password`);
  });

  it("ids keep whatever origin the request named: a host name, a port, IPv6", () => {
    assert.equal(secretId("https://dev.localhost:9443", "a"), "https://dev.localhost:9443/secrets/a");
    assert.equal(secretId("https://[::1]:8443", "a", VERSION), `https://[::1]:8443/secrets/a/${VERSION}`);
  });

  it("ids parse the way the SDK parses them: 3-4 path segments, vaultUrl = origin", () => {
    for (const id of [secretItem(ORIGIN, stored(), false).id, secretBundle(ORIGIN, stored()).id]) {
      const url = new URL(id);
      const segments = url.pathname.split("/");
      assert.ok(segments.length === 3 || segments.length === 4);
      assert.equal(segments[1], "secrets");
      assert.equal(`${url.protocol}//${url.host}`, ORIGIN);
    }
  });

  it("the JSON round-trips through JSON.stringify unchanged (no undefined members, no Dates)", () => {
    const bundle = deletedSecretBundle(ORIGIN, deleted({ contentType: "x", notBefore: 1 }));
    assert.deepEqual(JSON.parse(JSON.stringify(bundle)), bundle);
  });
});

describe("wire: serialized reads kept with the stored object", () => {
  it("is exactly the bundle's JSON, per origin, and a new stored object gets its own text", async () => {
    const { secretBundleText } = await import("../../src/server/routes/secrets-wire.js");
    const { SecretStr } = await import("../../src/core/secret-str.js");
    const s = stored();
    const value = new SecretStr("v1");
    const text = secretBundleText(ORIGIN, s, value);
    assert.equal(text, JSON.stringify(secretBundle(ORIGIN, s, "v1")));
    assert.equal(secretBundleText(ORIGIN, s, value), text);
    const other = secretBundleText("https://default.localhost:8443", s, value);
    assert.match(other, /"id":"https:\/\/default\.localhost:8443\/secrets\/Db-Password\/0123/);
    const changed = stored({ enabled: false });
    assert.equal(secretBundleText(ORIGIN, changed, new SecretStr("v2")), JSON.stringify(secretBundle(ORIGIN, changed, "v2")));
    for (let i = 0; i < 20; i++) {
      const origin = `https://host-${i}.example:1`;
      assert.equal(secretBundleText(origin, s, value), JSON.stringify(secretBundle(origin, s, "v1")), "past the kept origins, still right");
    }
  });
});

describe("wire-common: ids as the Azure SDK reads them", () => {
  it("parses what the SDK's parseKeyVaultSecretIdentifier parses, and refuses what it refuses", async () => {
    const { parseKeyVaultSecretIdentifier } = await import("@azure/keyvault-secrets");
    const { parseObjectId } = await import("../../src/server/wire-common.js");
    const good = [`${ORIGIN}/secrets/db`, `${ORIGIN}/secrets/db/${VERSION}`, "https://v.vault.azure.net/secrets/a-b"];
    for (const id of good) {
      const sdk = parseKeyVaultSecretIdentifier(id);
      assert.deepEqual(parseObjectId(id, "secrets"), { vaultUrl: sdk.vaultUrl, collection: "secrets", name: sdk.name, version: sdk.version }, id);
    }
    const bad = [`${ORIGIN}/vault1/secrets/db/${VERSION}`, `${ORIGIN}/secrets`, "not a url"];
    for (const id of bad) {
      assert.throws(() => parseKeyVaultSecretIdentifier(id), Error, `the SDK refuses ${id}`);
      assert.equal(parseObjectId(id, "secrets"), undefined, id);
    }
    // Stricter than the secrets SDK's parser, which takes any collection word: a key's id is not a secret's.
    assert.equal(parseObjectId(`${ORIGIN}/keys/db`, "secrets"), undefined);
    assert.equal(parseObjectId(`${ORIGIN}/keys/db`, "keys")?.name, "db");
  });
});
