import assert from "node:assert/strict";
import { SecretClient } from "@azure/keyvault-secrets";
import { after, before, describe, it } from "node:test";
import { getCredential, isConfigurationError, AuthenticationError } from "../../src/index.js";
import { sdkClientOptions, startTestServer, type TestServer } from "../helpers/server.js";
import { addServicePrincipal } from "../helpers/strict.js";

describe("getCredential: the chain's credential for other SDK clients", () => {
  let server: TestServer;
  let app: { clientId: string; secret: string };
  before(async () => {
    server = await startTestServer({ auth: "strict" });
    app = addServicePrincipal(server, "reader", ["Key Vault Secrets User"]);
    server.store().setSecret("shared", "from-the-chain");
  });
  after(async () => server?.close());

  it("hands an official SDK client the environment's service principal", async () => {
    const env = {
      ORBITRA_KEY_VAULT_STAGING: server.url,
      ORBITRA_CA_FILE_STAGING: server.caFile,
      ORBITRA_APP_CLIENT_ID: app.clientId,
      ORBITRA_APP_CLIENT_SECRET: app.secret,
    };
    const chosen = await getCredential({ environment: "staging", env, cwd: server.dataDir });
    assert.equal(chosen.source, "app-secret");
    assert.equal(chosen.clientId, app.clientId);
    assert.doesNotMatch(JSON.stringify({ ...chosen, credential: undefined }), new RegExp(app.secret), "no secret in what it reports");
    const client = new SecretClient(server.url, chosen.credential, sdkClientOptions(server.ca));
    assert.equal((await client.getSecret("shared")).value, "from-the-chain");
  });

  it("refuses an environment on the embedded store, and fails fast when nothing applies", async () => {
    await assert.rejects(getCredential({ environment: "local", env: { ORBITRA_HOME: server.dataDir }, cwd: server.dataDir }), isConfigurationError);
    await assert.rejects(
      getCredential({ keyVault: "contoso", env: { PATH: "", ORBITRA_HOME: server.dataDir }, cwd: server.dataDir, interactive: false }),
      (error: unknown) => error instanceof AuthenticationError && /orbitra login/.test(error.message),
    );
  });
});
