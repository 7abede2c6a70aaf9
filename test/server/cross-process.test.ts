import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { join } from "node:path";
import { SecretClient } from "@azure/keyvault-secrets";
import { inAnotherProcess } from "../helpers/other-process.js";
import { credential, sdkClientOptions, startTestServer, type TestServer } from "../helpers/server.js";

// The server keeps decrypted reads (store/read-cache.ts) and trusts its change probe to say when
// they went stale: an `orbitra secrets set` in another process must show on the very next GET.
describe("vault serve and another process writing the same vault file", () => {
  let server: TestServer;
  let client: SecretClient;
  let path: string;

  before(async () => {
    server = await startTestServer();
    client = new SecretClient(server.url, credential, sdkClientOptions(server.ca));
    path = join(server.dataDir, "default.db");
  });
  after(async () => server.close());

  it("serves the other process's new version, disable and delete on the next GET", async () => {
    await client.setSecret("shared", "from-server");
    assert.equal((await client.getSecret("shared")).value, "from-server");
    assert.equal((await client.getSecret("shared")).value, "from-server"); // now a cache hit
    inAnotherProcess(path, `const v = open(); v.setSecret("shared", "from-cli"); v.close();`);
    assert.equal((await client.getSecret("shared")).value, "from-cli");
    inAnotherProcess(path, `const v = open(); v.updateSecretProperties("shared", undefined, { enabled: false }); v.close();`);
    await assert.rejects(client.getSecret("shared"), (e: { statusCode?: number }) => e.statusCode === 403);
    inAnotherProcess(path, `const v = open(); v.updateSecretProperties("shared", undefined, { enabled: true }); v.close();`);
    assert.equal((await client.getSecret("shared")).value, "from-cli");
    inAnotherProcess(path, `const v = open(); v.deleteSecret("shared"); v.close();`);
    await assert.rejects(client.getSecret("shared"), (e: { statusCode?: number }) => e.statusCode === 404);
  });
});
