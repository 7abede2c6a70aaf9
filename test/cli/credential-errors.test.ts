import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { addServicePrincipal } from "../helpers/strict.js";
import { cli } from "./run.js";

// What a newcomer sees when the credentials are wrong or half there: an authentication or a
// configuration error (exit 4 or 5) that names what to fix, never "Unexpected error" (exit 1) or a
// silent fall-back to another link of the chain.
describe("credential mistakes, as the CLI reports them", () => {
  let server: TestServer;
  let home: string;
  let clientId: string;
  let base: NodeJS.ProcessEnv;
  before(async () => {
    server = await startTestServer({ auth: "strict" });
    ({ clientId } = addServicePrincipal(server, "ci-reader", ["Key Vault Secrets User"]));
    home = mkdtempSync(join(tmpdir(), "orbitra-creds-"));
    base = { ORBITRA_HOME: home, ORBITRA_KEY_VAULT_DEV: server.url, ORBITRA_CA_FILE_DEV: server.caFile, CI: "true", PATH: "" };
  });
  after(async () => {
    await server.close();
    rmSync(home, { recursive: true, force: true });
  });

  it("a wrong client secret (AADSTS7000215) is an authentication error, exit 4, without MSAL's trace ids", async () => {
    const result = await cli(["secrets", "list", "-e", "dev"], { ...base, ORBITRA_APP_CLIENT_ID: clientId, ORBITRA_APP_CLIENT_SECRET: "not-the-secret" });
    assert.equal(result.code, 4, result.stderr);
    assert.match(result.stderr, /^orbitra: Could not get a token for https:\/\/127\.0\.0\.1:\d+: AADSTS7000215: Invalid client secret provided/);
    assert.doesNotMatch(result.stderr, /Unexpected|Trace ID|Correlation ID|not-the-secret/);
  });

  it("a client id without a secret (or a secret without an id) is a configuration error, exit 5, not the placeholder token", async () => {
    const idOnly = await cli(["secrets", "list", "-e", "dev"], { ...base, ORBITRA_APP_CLIENT_ID: clientId });
    assert.equal(idOnly.code, 5, idOnly.stderr);
    assert.equal(idOnly.stderr, "orbitra: ORBITRA_APP_CLIENT_ID is set but ORBITRA_APP_CLIENT_SECRET is not: set both for a service principal, or unset ORBITRA_APP_CLIENT_ID.\n");
    const secretOnly = await cli(["secrets", "list", "--key-vault", "https://contoso.vault.azure.net"], { ...base, ORBITRA_APP_CLIENT_SECRET: "s" });
    assert.equal(secretOnly.code, 5, secretOnly.stderr);
    assert.match(secretOnly.stderr, /^orbitra: ORBITRA_APP_CLIENT_SECRET is set but ORBITRA_APP_CLIENT_ID is not/);
  });

  it("no credential at all: one clean line saying what to run (no runs of spaces)", async () => {
    const result = await cli(["secrets", "list", "-e", "prod", "--key-vault", "https://contoso.vault.azure.net"], base);
    assert.equal(result.code, 4, result.stderr);
    assert.match(result.stderr, /^orbitra: No credential for environment 'prod': nothing in the chain applies\. Sign in with 'orbitra login --env prod'/);
    assert.match(result.stderr, /ORBITRA_MANAGED_IDENTITY=true on an Azure host with a managed identity\.\n$/);
    assert.doesNotMatch(result.stderr, / {2}/);
    assert.equal(result.stderr.split("\n").length, 2);
  });
});
