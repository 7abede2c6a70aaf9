import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SecretClient } from "@azure/keyvault-secrets";
import { sdkClientOptions, startTestServer, testCredential, type TestServer } from "../helpers/server.js";

// The official SecretClient itself (not our wrapper) against the server: what the SDK hands back.
describe("official @azure/keyvault-secrets SecretClient against orbitra vault serve", () => {
  let server: TestServer;
  let client: SecretClient;
  const poll = { intervalInMs: 20 };

  before(async () => {
    server = await startTestServer();
    client = new SecretClient(server.url, testCredential, sdkClientOptions(server.ca));
  });
  after(async () => server.close());

  it("sets and gets with every property, ids on the request's host and port", async () => {
    const expiresOn = new Date("2030-02-03T04:05:06Z");
    const set = await client.setSecret("sdk-one", "value-1", {
      contentType: "text/plain",
      tags: { env: "test" },
      expiresOn,
      notBefore: new Date("2020-01-01T00:00:00Z"),
    });
    assert.equal(set.value, "value-1");
    assert.equal(set.properties.vaultUrl, server.url);
    assert.match(set.properties.id!, new RegExp(`^${server.url}/secrets/sdk-one/[0-9a-f]{32}$`));
    const got = await client.getSecret("sdk-one");
    assert.equal(got.value, "value-1");
    assert.equal(got.properties.version, set.properties.version);
    assert.equal(got.properties.contentType, "text/plain");
    assert.deepEqual(got.properties.tags, { env: "test" });
    assert.equal(got.properties.expiresOn?.getTime(), expiresOn.getTime());
    assert.equal(got.properties.notBefore?.toISOString(), "2020-01-01T00:00:00.000Z");
    assert.equal(got.properties.enabled, true);
    assert.equal(got.properties.recoveryLevel, "Recoverable+Purgeable");
    assert.equal(got.properties.recoverableDays, 90);
    assert.ok(got.properties.createdOn instanceof Date);
  });

  it("reads an older version and updates one version's properties (no value in the reply)", async () => {
    const v1 = await client.setSecret("sdk-versions", "first");
    await client.setSecret("sdk-versions", "second");
    assert.equal((await client.getSecret("sdk-versions", { version: v1.properties.version! })).value, "first");
    const updated = await client.updateSecretProperties("sdk-versions", v1.properties.version!, { enabled: false, tags: { old: "yes" } });
    assert.equal(updated.enabled, false);
    assert.deepEqual(updated.tags, { old: "yes" });
    const versions = [];
    for await (const p of client.listPropertiesOfSecretVersions("sdk-versions")) versions.push(p);
    assert.equal(versions.length, 2);
    assert.ok(versions.every((v) => v.version && v.name === "sdk-versions"));
    await assert.rejects(client.getSecret("sdk-versions", { version: v1.properties.version! }), (e: { statusCode: number; code: string }) => {
      assert.equal(e.statusCode, 403);
      assert.equal(e.code, "Forbidden");
      return true;
    });
  });

  it("pages with maxPageSize 1: every name once, absolute nextLinks", async () => {
    const names = ["page-a", "page-b", "page-c", "page-d"];
    for (const name of names) await client.setSecret(name, "p");
    const seen: string[] = [];
    let pages = 0;
    for await (const page of client.listPropertiesOfSecrets().byPage({ maxPageSize: 1 })) {
      pages++;
      assert.ok(page.length <= 1);
      seen.push(...page.map((p) => p.name));
    }
    for (const name of names) assert.equal(seen.filter((n) => n === name).length, 1);
    assert.equal(pages, seen.length);
    assert.equal(new Set(seen).size, seen.length);
  });

  it("runs the delete, recover and purge pollers; 409 while deleted", async () => {
    await client.setSecret("sdk-deleted", "d");
    const deleted = await (await client.beginDeleteSecret("sdk-deleted", poll)).pollUntilDone();
    assert.equal(deleted.name, "sdk-deleted");
    assert.equal(deleted.recoveryId, `${server.url}/deletedsecrets/sdk-deleted`);
    assert.ok(deleted.deletedOn instanceof Date);
    assert.equal(deleted.scheduledPurgeDate!.getTime() - deleted.deletedOn!.getTime(), 90 * 86400 * 1000);
    await assert.rejects(client.getSecret("sdk-deleted"), { statusCode: 404, code: "SecretNotFound" });
    await assert.rejects(client.setSecret("sdk-deleted", "again"), (e: { statusCode: number; code: string; details: { error: { innerError?: { code: string } } } }) => {
      assert.equal(e.statusCode, 409);
      assert.equal(e.code, "Conflict");
      assert.equal(e.details.error.innerError?.code, "ObjectIsDeletedButRecoverable");
      return true;
    });
    const listed = [];
    for await (const d of client.listDeletedSecrets()) listed.push(d.name);
    assert.ok(listed.includes("sdk-deleted"));
    assert.equal((await client.getDeletedSecret("sdk-deleted")).name, "sdk-deleted");
    const recovered = await (await client.beginRecoverDeletedSecret("sdk-deleted", poll)).pollUntilDone();
    assert.equal(recovered.name, "sdk-deleted");
    assert.equal((await client.getSecret("sdk-deleted")).value, "d");
    await (await client.beginDeleteSecret("sdk-deleted", poll)).pollUntilDone();
    await client.purgeDeletedSecret("sdk-deleted");
    await assert.rejects(client.getDeletedSecret("sdk-deleted"), { statusCode: 404, code: "SecretNotFound" });
  });

  it("backs up and restores through the SDK", async () => {
    await client.setSecret("sdk-backup", "b1");
    const blob = await client.backupSecret("sdk-backup");
    assert.ok(blob && blob.length > 0);
    await (await client.beginDeleteSecret("sdk-backup", poll)).pollUntilDone();
    await client.purgeDeletedSecret("sdk-backup");
    const restored = await client.restoreSecretBackup(blob!);
    assert.equal(restored.name, "sdk-backup");
    assert.equal((await client.getSecret("sdk-backup")).value, "b1");
    await assert.rejects(client.restoreSecretBackup(new Uint8Array([1, 2, 3])), { statusCode: 400, code: "BadParameter" });
  });

  it("speaks older api-versions (serviceVersion 7.3) too", async () => {
    const old = new SecretClient(server.url, testCredential, { ...sdkClientOptions(server.ca), serviceVersion: "7.3" });
    await old.setSecret("sdk-old-api", "o");
    assert.equal((await old.getSecret("sdk-old-api")).value, "o");
  });
});
