import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { KeyClient, type JsonWebKey as SdkJsonWebKey } from "@azure/keyvault-keys";
import { SUPPORTED_API_VERSIONS } from "../../src/server/api-version.js";
import { credential, rawRequest, sdkClientOptions, startTestServer, type TestServer } from "../helpers/server.js";

// The official KeyClient itself against the server over real HTTPS: every keys operation of
// docs/keyvault-wire.md §9.1, and what the SDK makes of our answers.

interface SdkError {
  statusCode?: number;
  code?: string;
  details?: { error?: { code?: string; innerError?: { code?: string } } };
}

export function restError(statusCode: number, code: string, innerCode?: string) {
  return (error: SdkError) => {
    assert.equal(error.statusCode, statusCode);
    assert.equal(error.code, code);
    if (innerCode !== undefined) assert.equal(error.details?.error?.innerError?.code, innerCode);
    return true;
  };
}

const poll = { intervalInMs: 20 };
const PRIVATE = ["d", "p", "q", "dp", "dq", "qi", "k"] as const;

/** A node:crypto key pair's private JWK as the SDK's JsonWebKey (Uint8Array members). */
function sdkJwk(jwk: Record<string, unknown>, kty: string): SdkJsonWebKey {
  const out: Record<string, unknown> = { kty };
  for (const [k, v] of Object.entries(jwk)) {
    if (k === "kty" || k === "crv") continue;
    out[k] = Buffer.from(String(v), "base64url");
  }
  if (jwk.crv) out.crv = jwk.crv === "secp256k1" ? "P-256K" : jwk.crv;
  return out as SdkJsonWebKey;
}

describe("official @azure/keyvault-keys KeyClient against orbitra vault serve", () => {
  let server: TestServer;
  let client: KeyClient;

  before(async () => {
    server = await startTestServer();
    client = new KeyClient(server.url, credential, sdkClientOptions(server.ca));
  });
  after(async () => server.close());

  it("creates RSA, EC and oct keys; the public JWK and kid on the request's host, no private member", async () => {
    const rsa = await client.createRsaKey("sdk-rsa", { keySize: 3072, tags: { env: "test" }, exportable: false });
    assert.equal(rsa.name, "sdk-rsa");
    assert.equal(rsa.keyType, "RSA");
    assert.equal(rsa.properties.vaultUrl, server.url);
    assert.match(rsa.id!, new RegExp(`^${server.url}/keys/sdk-rsa/[0-9a-f]{32}$`));
    assert.equal(rsa.key?.n?.length, 384);
    assert.deepEqual(rsa.properties.tags, { env: "test" });
    assert.equal(rsa.properties.enabled, true);
    assert.equal(rsa.properties.exportable, false);
    assert.equal(rsa.properties.recoveryLevel, "Recoverable+Purgeable");
    for (const member of PRIVATE) assert.equal(rsa.key?.[member], undefined, member);

    const ec = await client.createEcKey("sdk-ec", { curve: "P-384", keyOps: ["sign", "verify"] });
    assert.equal(ec.keyType, "EC");
    assert.equal(ec.key?.crv, "P-384");
    assert.equal(ec.key?.x?.length, 48);
    assert.deepEqual(ec.keyOperations, ["sign", "verify"]);

    const oct = await client.createOctKey("sdk-oct", { keySize: 128, hsm: true });
    assert.equal(oct.keyType, "oct-HSM");
    assert.equal(oct.key?.k, undefined);

    const raw = await rawRequest(server.url, server.ca, { path: "/keys/sdk-rsa?api-version=7.5", headers: { authorization: "Bearer t" } });
    const bundle = JSON.parse(raw.body) as Record<string, unknown>;
    assert.equal(bundle.id, undefined, "a KeyBundle has no top-level id");
    assert.equal((bundle.key as { kid: string }).kid, rsa.id);
  });

  it("imports a JWK with private members, with capital-H Hsm, and never hands them back", async () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "secp256k1" });
    const jwk = sdkJwk(privateKey.export({ format: "jwk" }) as Record<string, unknown>, "EC");
    const imported = await client.importKey("sdk-imported", jwk, { hardwareProtected: true, tags: { from: "node" } });
    assert.equal(imported.keyType, "EC-HSM");
    assert.equal(imported.key?.crv, "P-256K");
    assert.equal(imported.key?.d, undefined);
    assert.deepEqual(Buffer.from(imported.key!.x!), Buffer.from(jwk.x!));
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const plain = await client.importKey("sdk-imported-rsa", sdkJwk(rsa.export({ format: "jwk" }) as Record<string, unknown>, "RSA"));
    assert.equal(plain.keyType, "RSA");
    assert.equal(plain.key?.d, undefined);
  });

  it("gets the latest, a version, and the trailing-slash form; updates a version's properties", async () => {
    const first = await client.createEcKey("sdk-versions");
    const second = await client.createEcKey("sdk-versions", { curve: "P-521" });
    assert.equal((await client.getKey("sdk-versions")).properties.version, second.properties.version);
    assert.equal((await client.getKey("sdk-versions", { version: first.properties.version! })).key?.crv, "P-256");
    const raw = await rawRequest(server.url, server.ca, { path: "/keys/sdk-versions/?api-version=2025-07-01", headers: { authorization: "Bearer t" } });
    assert.equal(raw.status, 200);
    assert.equal(JSON.parse(raw.body).key.kid, second.id);

    const expiresOn = new Date("2031-01-02T03:04:05Z");
    const updated = await client.updateKeyProperties("sdk-versions", first.properties.version!, { enabled: false, expiresOn, tags: { t: "1" }, keyOps: ["verify"] });
    assert.equal(updated.properties.enabled, false);
    assert.equal(updated.properties.expiresOn?.getTime(), expiresOn.getTime());
    assert.deepEqual(updated.properties.tags, { t: "1" });
    assert.deepEqual(updated.keyOperations, ["verify"]);
    assert.equal((await client.getKey("sdk-versions")).properties.enabled, true, "the latest is untouched");

    const versions = [];
    for await (const p of client.listPropertiesOfKeyVersions("sdk-versions")) versions.push(p.version);
    assert.deepEqual(versions.sort(), [first.properties.version, second.properties.version].sort());
  });

  it("lists keys without material, with the base kid", async () => {
    const names = [];
    for await (const p of client.listPropertiesOfKeys()) {
      names.push(p.name);
      assert.equal(p.version, undefined);
      assert.equal(p.id, `${server.url}/keys/${p.name}`);
    }
    for (const n of ["sdk-rsa", "sdk-ec", "sdk-oct", "sdk-versions"]) assert.ok(names.includes(n), n);
  });

  it("pages lists: maxresults and an absolute nextLink that keeps the client's api-version; the SDK follows it", async () => {
    const store = server.store().keys;
    for (let i = 0; i < 27; i += 1) await store.createKey(`page-${String(i).padStart(2, "0")}`, { kty: "oct", keySize: 128 });
    for (let i = 0; i < 3; i += 1) await store.rotateKey("page-00");
    const first = await rawRequest(server.url, server.ca, { path: "/keys?api-version=7.4&maxresults=2", headers: { authorization: "Bearer t" } });
    const page = JSON.parse(first.body) as { value: { kid: string }[]; nextLink: string };
    assert.equal(page.value.length, 2);
    assert.match(page.nextLink, new RegExp(`^${server.url}/keys\\?api-version=7\\.4&\\$skiptoken=[^&]+&maxresults=2$`));
    const names = new Set<string>();
    for await (const p of client.listPropertiesOfKeys()) names.add(p.name);
    for (let i = 0; i < 27; i += 1) assert.ok(names.has(`page-${String(i).padStart(2, "0")}`), `page-${i}`);
    const versions = [];
    for await (const p of client.listPropertiesOfKeyVersions("page-00").byPage({ maxPageSize: 1 })) versions.push(...p);
    assert.equal(versions.length, 4);
    assert.equal(new Set(versions.map((v) => v.version)).size, 4);
    const deletedPage = await rawRequest(server.url, server.ca, { path: "/deletedkeys?api-version=7.5&maxresults=1", headers: { authorization: "Bearer t" } });
    assert.ok(Array.isArray((JSON.parse(deletedPage.body) as { value: unknown }).value));
  });

  it("a secret and a key may share a name, as on Key Vault", async () => {
    await client.createEcKey("shared");
    server.store().setSecret("shared", "value");
    assert.equal((await client.getKey("shared")).name, "shared");
    assert.equal(server.store().getSecret("shared").value.reveal(), "value");
  });

  it("deletes (poller ends on recoveryId), reads and lists deleted keys, recovers, purges (204)", async () => {
    await client.createRsaKey("sdk-del");
    const poller = await client.beginDeleteKey("sdk-del", poll);
    const deleted = await poller.pollUntilDone();
    assert.equal(deleted.properties.recoveryId, `${server.url}/deletedkeys/sdk-del`);
    assert.ok(deleted.properties.deletedOn instanceof Date && deleted.properties.scheduledPurgeDate instanceof Date);
    assert.equal(deleted.keyType, "RSA");
    await assert.rejects(client.getKey("sdk-del"), restError(404, "KeyNotFound"));
    await assert.rejects(client.createRsaKey("sdk-del"), restError(409, "Conflict"));
    assert.equal((await client.getDeletedKey("sdk-del")).name, "sdk-del");
    const deletedNames = [];
    for await (const d of client.listDeletedKeys()) deletedNames.push(d.name);
    assert.ok(deletedNames.includes("sdk-del"));

    const recovered = await (await client.beginRecoverDeletedKey("sdk-del", poll)).pollUntilDone();
    assert.equal(recovered.name, "sdk-del");
    await (await client.beginDeleteKey("sdk-del", poll)).pollUntilDone();
    await client.purgeDeletedKey("sdk-del");
    await assert.rejects(client.getDeletedKey("sdk-del"), restError(404, "KeyNotFound"));

    const purge = await rawRequest(server.url, server.ca, { method: "DELETE", path: "/deletedkeys/nothing-here?api-version=7.5", headers: { authorization: "Bearer t" } });
    assert.equal(purge.status, 404);
  });

  it("backs up and restores a key with its versions", async () => {
    const created = await client.createEcKey("sdk-backup");
    const blob = await client.backupKey("sdk-backup");
    assert.ok(blob && blob.byteLength > 0);
    await (await client.beginDeleteKey("sdk-backup", poll)).pollUntilDone();
    await client.purgeDeletedKey("sdk-backup");
    const restored = await client.restoreKeyBackup(blob);
    assert.equal(restored.name, "sdk-backup");
    assert.equal(restored.properties.version, created.properties.version);
    assert.deepEqual(Buffer.from(restored.key!.x!), Buffer.from(created.key!.x!));
    await assert.rejects(client.restoreKeyBackup(new Uint8Array([1, 2, 3, 4])), restError(400, "Malformed backup blob"));
  });

  it("rotates to a new version with the same parameters; reads and writes the rotation policy", async () => {
    const original = await client.createRsaKey("sdk-rotate", { keySize: 3072 });
    const rotated = await client.rotateKey("sdk-rotate");
    assert.notEqual(rotated.properties.version, original.properties.version);
    assert.equal(rotated.key?.n?.length, 384);
    assert.equal((await client.getKey("sdk-rotate")).properties.version, rotated.properties.version);

    const policy = await client.updateKeyRotationPolicy("sdk-rotate", {
      lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P90D" }, { action: "Notify", timeBeforeExpiry: "P30D" }],
      expiresIn: "P180D",
    });
    assert.equal(policy.id, `${server.url}/keys/sdk-rotate/rotationpolicy`);
    assert.equal(policy.expiresIn, "P180D");
    // The SDK writes both trigger members, one of them undefined; JSON drops those.
    const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;
    assert.deepEqual(plain(policy.lifetimeActions), [{ action: "Rotate", timeAfterCreate: "P90D" }, { action: "Notify", timeBeforeExpiry: "P30D" }]);
    assert.ok(policy.createdOn instanceof Date && policy.updatedOn instanceof Date);
    const read = await client.getKeyRotationPolicy("sdk-rotate");
    assert.deepEqual(plain(read.lifetimeActions), plain(policy.lifetimeActions));
    assert.equal(read.expiresIn, "P180D");
    await assert.rejects(client.getKeyRotationPolicy("sdk-no-such-key"), restError(404, "KeyNotFound"));
  });

  it("gives 1..128 random bytes, and BadParameter outside", async () => {
    for (const count of [1, 32, 128]) assert.equal((await client.getRandomBytes(count)).byteLength, count);
    const a = await client.getRandomBytes(32);
    const b = await client.getRandomBytes(32);
    assert.notDeepEqual(a, b);
    for (const count of [0, 129, 1.5]) await assert.rejects(client.getRandomBytes(count), restError(400, "BadParameter"), String(count));
  });

  it("answers every api-version the secrets API accepts, and older SDK service versions", async () => {
    await client.createEcKey("sdk-apiv");
    for (const version of SUPPORTED_API_VERSIONS) {
      const reply = await rawRequest(server.url, server.ca, { path: `/keys/sdk-apiv?api-version=${version}`, headers: { authorization: "Bearer t" } });
      assert.equal(reply.status, 200, version);
    }
    const unknown = await rawRequest(server.url, server.ca, { path: "/keys/sdk-apiv?api-version=6.0", headers: { authorization: "Bearer t" } });
    assert.equal(unknown.status, 400);
    const old = new KeyClient(server.url, credential, { ...sdkClientOptions(server.ca), serviceVersion: "7.3" });
    assert.equal((await old.getKey("sdk-apiv")).name, "sdk-apiv");
  });

  it("answers Key Vault's errors: KeyNotFound, BadParameter for bad parameters", async () => {
    await assert.rejects(client.getKey("sdk-missing"), restError(404, "KeyNotFound"));
    await assert.rejects(client.getKey("sdk-ec", { version: "0".repeat(32) }), restError(404, "KeyNotFound"));
    await assert.rejects(client.createRsaKey("sdk-bad-size", { keySize: 1024 }), restError(400, "BadParameter"));
    await assert.rejects(client.createKey("sdk-bad-kty", "XYZ" as "RSA"), restError(400, "BadParameter"));
    await assert.rejects(client.createEcKey("sdk-bad-crv", { curve: "P-192" as "P-256" }), restError(400, "BadParameter"));
  });
});
