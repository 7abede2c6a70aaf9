import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SecretClient } from "@azure/keyvault-secrets";
import { credential, rawRequest, sdkClientOptions, startTestServer, type TestServer } from "../helpers/server.js";

// The official SecretClient itself (not our wrapper) against the server over real HTTPS with the
// generated CA: what the SDK hands back is what a user of the SDK would see.

interface SdkError {
  statusCode?: number;
  code?: string;
  details?: { error?: { code?: string; innerError?: { code?: string } } };
}

function restError(statusCode: number, code: string, innerCode?: string) {
  return (error: SdkError) => {
    assert.equal(error.statusCode, statusCode);
    assert.equal(error.code, code);
    if (innerCode !== undefined) assert.equal(error.details?.error?.innerError?.code, innerCode);
    return true;
  };
}

describe("official @azure/keyvault-secrets SecretClient against orbitra vault serve", () => {
  let server: TestServer;
  let client: SecretClient;
  const poll = { intervalInMs: 20 };

  before(async () => {
    server = await startTestServer();
    client = new SecretClient(server.url, credential, sdkClientOptions(server.ca));
  });
  after(async () => server.close());

  it("sets and gets with every property; ids and vaultUrl on the request's host and port", async () => {
    const expiresOn = new Date("2030-02-03T04:05:06Z");
    const notBefore = new Date("2020-01-01T00:00:00Z");
    const set = await client.setSecret("sdk-one", "value-1", { contentType: "text/plain", tags: { env: "test" }, expiresOn, notBefore });
    assert.equal(set.value, "value-1");
    assert.equal(set.name, "sdk-one");
    assert.equal(set.properties.vaultUrl, server.url);
    assert.match(set.properties.id!, new RegExp(`^${server.url}/secrets/sdk-one/[0-9a-f]{32}$`));
    const got = await client.getSecret("sdk-one");
    assert.equal(got.value, "value-1");
    assert.equal(got.properties.version, set.properties.version);
    assert.equal(got.properties.contentType, "text/plain");
    assert.deepEqual(got.properties.tags, { env: "test" });
    assert.equal(got.properties.expiresOn?.getTime(), expiresOn.getTime());
    assert.equal(got.properties.notBefore?.getTime(), notBefore.getTime());
    assert.equal(got.properties.enabled, true);
    assert.equal(got.properties.recoveryLevel, "Recoverable+Purgeable");
    assert.equal(got.properties.recoverableDays, 90);
    assert.ok(got.properties.createdOn instanceof Date && got.properties.updatedOn instanceof Date);
    assert.ok(Math.abs(got.properties.createdOn.getTime() - Date.now()) < 60_000);
  });

  it("defaults with no options: enabled, no dates, no content type; an empty value is a value", async () => {
    const plain = await client.setSecret("sdk-plain", "");
    assert.equal(plain.value, "");
    assert.equal(plain.properties.enabled, true);
    assert.equal(plain.properties.expiresOn, undefined);
    assert.equal(plain.properties.notBefore, undefined);
    assert.equal(plain.properties.contentType, undefined);
    assert.equal((await client.getSecret("SDK-PLAIN")).value, "", "names are case-insensitive");
  });

  it("reads older versions, lists versions, updates one version (no value in the reply), 403 when disabled", async () => {
    const v1 = await client.setSecret("sdk-versions", "first");
    const v2 = await client.setSecret("sdk-versions", "second");
    assert.notEqual(v1.properties.version, v2.properties.version);
    assert.equal((await client.getSecret("sdk-versions", { version: v1.properties.version! })).value, "first");
    assert.equal((await client.getSecret("sdk-versions")).value, "second");
    const updated = await client.updateSecretProperties("sdk-versions", v1.properties.version!, { enabled: false, tags: { old: "yes" }, contentType: "x" });
    assert.equal(updated.enabled, false);
    assert.deepEqual(updated.tags, { old: "yes" });
    assert.equal(updated.contentType, "x");
    assert.equal(updated.version, v1.properties.version);
    assert.equal("value" in updated, false);
    const versions = [];
    for await (const p of client.listPropertiesOfSecretVersions("sdk-versions")) versions.push(p);
    assert.deepEqual(versions.map((v) => v.version).sort(), [v1.properties.version, v2.properties.version].sort());
    assert.ok(versions.every((v) => v.name === "sdk-versions" && v.id!.endsWith(`/${v.version}`)));
    assert.deepEqual(versions.map((v) => v.enabled).sort(), [false, true]);
    await assert.rejects(client.getSecret("sdk-versions", { version: v1.properties.version! }), restError(403, "Forbidden", "SecretDisabled"));
    assert.equal((await client.getSecret("sdk-versions")).value, "second", "other versions stay readable");
  });

  it("pages with maxPageSize 1: every name exactly once, one per page, absolute nextLinks on the server", async () => {
    const names = ["page-a", "page-b", "page-c", "page-d", "page-e"];
    for (const name of names) await client.setSecret(name, "p");
    const seen: string[] = [];
    let pages = 0;
    const iterator = client.listPropertiesOfSecrets().byPage({ maxPageSize: 1 });
    for await (const page of iterator) {
      pages++;
      assert.equal(page.length, 1);
      seen.push(...page.map((p) => p.name));
      assert.equal("value" in page[0]!, false);
    }
    for (const name of names) assert.equal(seen.filter((n) => n === name).length, 1, name);
    assert.equal(new Set(seen).size, seen.length);
    assert.equal(pages, seen.length);
    // The nextLink is absolute, on the server's own origin, keeps the query; the SDK resumes from it.
    const raw = await rawRequest(server.url, server.ca, { path: "/secrets?api-version=2025-07-01&maxresults=2", headers: { authorization: "Bearer t" } });
    const firstPage = JSON.parse(raw.body) as { value: { id: string }[]; nextLink: string };
    assert.equal(firstPage.value.length, 2);
    assert.ok(firstPage.nextLink.startsWith(`${server.url}/secrets?api-version=2025-07-01&$skiptoken=`), firstPage.nextLink);
    assert.ok(firstPage.nextLink.endsWith("&maxresults=2"));
    const rest: string[] = [];
    for await (const page of client.listPropertiesOfSecrets().byPage({ continuationToken: firstPage.nextLink, maxPageSize: 2 })) {
      rest.push(...page.map((p) => p.name));
    }
    assert.equal(rest.length + 2, seen.length);
    const last = await rawRequest(server.url, server.ca, { path: `/secrets?api-version=7.4&maxresults=25`, headers: { authorization: "Bearer t" } });
    assert.equal(JSON.parse(last.body).nextLink, null, "no nextLink after the last page");
  });

  it("pages versions and deleted secrets too", async () => {
    for (let i = 0; i < 3; i++) await client.setSecret("paged-versions", `v${i}`);
    let versionPages = 0;
    for await (const page of client.listPropertiesOfSecretVersions("paged-versions").byPage({ maxPageSize: 1 })) {
      assert.equal(page.length, 1);
      versionPages++;
    }
    assert.equal(versionPages, 3);
    for (const name of ["gone-1", "gone-2", "gone-3"]) {
      await client.setSecret(name, "g");
      await (await client.beginDeleteSecret(name, poll)).pollUntilDone();
    }
    const deleted: string[] = [];
    for await (const page of client.listDeletedSecrets().byPage({ maxPageSize: 1 })) deleted.push(...page.map((d) => d.name));
    for (const name of ["gone-1", "gone-2", "gone-3"]) assert.ok(deleted.includes(name));
    assert.equal(new Set(deleted).size, deleted.length);
  });

  it("runs the delete and recover pollers; 409 while deleted; purge frees the name", async () => {
    await client.setSecret("sdk-deleted", "d", { tags: { t: "1" } });
    const deleted = await (await client.beginDeleteSecret("sdk-deleted", poll)).pollUntilDone();
    assert.equal(deleted.name, "sdk-deleted");
    assert.equal(deleted.recoveryId, `${server.url}/deletedsecrets/sdk-deleted`);
    assert.ok(deleted.deletedOn instanceof Date);
    assert.equal(deleted.scheduledPurgeDate!.getTime() - deleted.deletedOn.getTime(), 90 * 86_400_000);
    assert.equal(deleted.value, undefined);
    await assert.rejects(client.getSecret("sdk-deleted"), restError(404, "SecretNotFound"));
    await assert.rejects(client.setSecret("sdk-deleted", "again"), restError(409, "Conflict", "ObjectIsDeletedButRecoverable"));
    const fetched = await client.getDeletedSecret("sdk-deleted");
    assert.equal(fetched.properties.recoveryId, deleted.recoveryId);
    assert.deepEqual(fetched.properties.tags, { t: "1" });
    const recovered = await (await client.beginRecoverDeletedSecret("sdk-deleted", poll)).pollUntilDone();
    assert.equal(recovered.name, "sdk-deleted");
    assert.equal((await client.getSecret("sdk-deleted")).value, "d");
    await (await client.beginDeleteSecret("sdk-deleted", poll)).pollUntilDone();
    await client.purgeDeletedSecret("sdk-deleted");
    await assert.rejects(client.getDeletedSecret("sdk-deleted"), restError(404, "SecretNotFound"));
    assert.equal((await client.setSecret("sdk-deleted", "new life")).value, "new life");
  });

  it("404 SecretNotFound for a missing secret, version, deleted secret, purge, recover and backup", async () => {
    await assert.rejects(client.getSecret("never-was"), restError(404, "SecretNotFound"));
    await client.setSecret("has-one", "x");
    await assert.rejects(client.getSecret("has-one", { version: "0".repeat(32) }), restError(404, "SecretNotFound"));
    await assert.rejects(client.getDeletedSecret("never-was"), restError(404, "SecretNotFound"));
    await assert.rejects(client.purgeDeletedSecret("never-was"), restError(404, "SecretNotFound"));
    await assert.rejects(client.backupSecret("never-was"), restError(404, "SecretNotFound"));
    await assert.rejects(client.updateSecretProperties("never-was", "0".repeat(32), { enabled: true }), restError(404, "SecretNotFound"));
    await assert.rejects(client.beginDeleteSecret("never-was", poll), restError(404, "SecretNotFound"));
  });

  it("backs up and restores through the SDK; refuses an undecodable blob (400 Malformed backup blob) and a taken name (409)", async () => {
    await client.setSecret("sdk-backup", "b1");
    await client.setSecret("sdk-backup", "b2");
    const blob = await client.backupSecret("sdk-backup");
    assert.ok(blob && blob.length > 0);
    await assert.rejects(client.restoreSecretBackup(blob), restError(409, "Conflict"));
    await (await client.beginDeleteSecret("sdk-backup", poll)).pollUntilDone();
    await client.purgeDeletedSecret("sdk-backup");
    const restored = await client.restoreSecretBackup(blob);
    assert.equal(restored.name, "sdk-backup");
    assert.equal((await client.getSecret("sdk-backup")).value, "b2");
    let versions = 0;
    for await (const _ of client.listPropertiesOfSecretVersions("sdk-backup")) versions++;
    assert.equal(versions, 2);
    // Key Vault's own answer to an undecodable blob, code and message word for word.
    await assert.rejects(client.restoreSecretBackup(new Uint8Array([1, 2, 3])), (error: SdkError & { message?: string }) => {
      assert.equal(error.statusCode, 400);
      assert.equal(error.code, "Malformed backup blob");
      assert.equal(error.message, "Backup blob contains invalid or corrupt version.");
      return true;
    });
  });

  it("speaks older api-versions (serviceVersion 7.3), and nextLinks keep the client's version", async () => {
    const old = new SecretClient(server.url, credential, { ...sdkClientOptions(server.ca), serviceVersion: "7.3" });
    await old.setSecret("sdk-old-api", "o");
    assert.equal((await old.getSecret("sdk-old-api")).value, "o");
    let pages = 0;
    for await (const _ of old.listPropertiesOfSecrets().byPage({ maxPageSize: 3 })) pages++;
    assert.ok(pages > 1);
    const raw = await rawRequest(server.url, server.ca, { path: "/secrets?api-version=7.3&maxresults=1", headers: { authorization: "Bearer t" } });
    assert.match(JSON.parse(raw.body).nextLink, /\?api-version=7\.3&\$skiptoken=[^&]+&maxresults=1$/);
  });

  it("raw requests: unknown or missing api-version is 400 BadParameter; no token is the 401 challenge", async () => {
    const auth = { authorization: "Bearer t" };
    const unknown = await rawRequest(server.url, server.ca, { path: "/secrets?api-version=6.0", headers: auth });
    assert.equal(unknown.status, 400);
    assert.deepEqual(JSON.parse(unknown.body), {
      error: { code: "BadParameter", message: "The specified version (6.0) is not recognized. Consider using the latest supported version (2025-07-01)." },
    });
    assert.equal(unknown.headers["content-type"], "application/json; charset=utf-8");
    const missing = await rawRequest(server.url, server.ca, { path: "/secrets", headers: auth });
    assert.equal(missing.status, 400);
    assert.equal(JSON.parse(missing.body).error.code, "BadParameter");
    const encoded = await rawRequest(server.url, server.ca, { path: "/secrets?api%2Dversion=2025-07-01", headers: { ...auth, "x-ms-client-request-id": "abc-123" } });
    assert.equal(encoded.status, 200);
    assert.equal(encoded.headers["x-ms-client-request-id"], "abc-123");
    assert.match(String(encoded.headers["x-ms-request-id"]), /^[0-9a-f-]{36}$/);
    const noToken = await rawRequest(server.url, server.ca, {
      method: "PUT",
      path: "/secrets/x?api-version=2025-07-01",
      headers: { "content-type": "application/json", "content-length": "0" },
    });
    assert.equal(noToken.status, 401);
    assert.match(String(noToken.headers["www-authenticate"]), /^Bearer authorization="https:\/\/login\.microsoftonline\.com\/[^"]+", resource="https:\/\/vault\.azure\.net"$/);
    assert.deepEqual(JSON.parse(noToken.body), { error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer or PoP token." } });
  });
});

describe("several vaults, one port each", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ vaults: ["alpha", "beta"] })));
  after(async () => server.close());

  it("keeps each vault's secrets apart, with ids on its own port", async () => {
    assert.deepEqual(server.vaults.map((v) => v.name), ["alpha", "beta"]);
    const [alpha, beta] = server.vaults.map((v) => new SecretClient(v.url, credential, sdkClientOptions(server.ca)));
    const written = await alpha!.setSecret("shared-name", "in-alpha");
    assert.equal(written.properties.vaultUrl, server.vaults[0]!.url);
    await assert.rejects(beta!.getSecret("shared-name"), restError(404, "SecretNotFound"));
    await beta!.setSecret("shared-name", "in-beta");
    assert.equal((await alpha!.getSecret("shared-name")).value, "in-alpha");
    assert.equal((await beta!.getSecret("shared-name")).value, "in-beta");
    assert.equal(server.store("beta").getSecret("shared-name").value.reveal(), "in-beta");
  });

  it("NAME.localhost:PORT reaches vault NAME on any port (Host routing), with ids on that host", async () => {
    // Its own secret, so the test does not depend on the one above having run first.
    server.store("beta").setSecret("routed-name", "in-beta");
    const port = new URL(server.vaults[0]!.url).port;
    const viaHost = await rawRequest(server.vaults[0]!.url, server.ca, {
      path: "/secrets/routed-name/?api-version=2025-07-01",
      headers: { authorization: "Bearer t", host: `beta.localhost:${port}` },
      servername: "beta.localhost",
    });
    assert.equal(viaHost.status, 200);
    const bundle = JSON.parse(viaHost.body) as { value: string; id: string };
    assert.equal(bundle.value, "in-beta");
    assert.match(bundle.id, new RegExp(`^https://beta\\.localhost:${port}/secrets/routed-name/[0-9a-f]{32}$`));
    const unknown = await rawRequest(server.vaults[0]!.url, server.ca, {
      path: "/secrets?api-version=2025-07-01",
      headers: { authorization: "Bearer t", host: `gamma.localhost:${port}` },
      servername: "localhost",
    });
    assert.equal(unknown.status, 404);
    assert.equal(JSON.parse(unknown.body).error.code, "VaultNotFound");
  });
});
