import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ManagedIdentityCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { sdkClientOptions, startTestServer, type TestServer } from "../helpers/server.js";
import { addServicePrincipal } from "../helpers/strict.js";

/**
 * The unmodified ManagedIdentityCredential against the strict server's App Service-style
 * endpoint: IDENTITY_ENDPOINT points at it, IDENTITY_HEADER is the principal's secret. MSAL reads
 * those from process.env, so this file sets them (each test file runs in its own process).
 */
describe("strict server: managed-identity endpoint", () => {
  let server: TestServer;
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };

  before(async () => {
    server = await startTestServer({ auth: "strict" });
    server.store().setSecret("db", "value");
  });
  after(async () => {
    for (const [key, value] of [["IDENTITY_ENDPOINT", saved.endpoint], ["IDENTITY_HEADER", saved.header]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await server?.close();
  });

  test("a user-assigned identity with Secrets User reads and cannot write", async () => {
    const p = addServicePrincipal(server, "mi", ["Key Vault Secrets User"]);
    process.env.IDENTITY_ENDPOINT = `${server.url}/msi/token`;
    process.env.IDENTITY_HEADER = p.secret;
    const credential = new ManagedIdentityCredential({ clientId: p.clientId, tlsOptions: { ca: server.ca } } as unknown as ConstructorParameters<typeof ManagedIdentityCredential>[0]);
    const client = new SecretClient(server.url, credential, sdkClientOptions(server.ca));
    assert.equal((await client.getSecret("db")).value, "value");
    await assert.rejects(client.setSecret("db", "x"), (e: { statusCode?: number }) => e.statusCode === 403);
  });
});
