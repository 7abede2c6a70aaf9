import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SecretStr } from "../../src/core/secret-str.js";
import { ConsistencyWindow } from "../../src/server/consistency-delay.js";
import { rawRequest, startTestServer, type TestServer } from "../helpers/server.js";

const API = "api-version=7.5";
const auth = { authorization: "Bearer any" };

describe("--consistency-delay: Azure's lag after delete and recover", () => {
  let server: TestServer;
  before(async () => {
    // Far longer than the test runs: the window is open throughout.
    server = await startTestServer({ consistencyDelayMs: 600_000 });
  });
  after(async () => server.close());

  it("a deleted secret is 404 'Deleted Secret not found' under /deletedsecrets, a recovered one 404 under /secrets", async () => {
    server.store().setSecret("lagging", new SecretStr("v"));
    assert.equal((await rawRequest(server.url, server.ca, { method: "DELETE", path: `/secrets/lagging?${API}`, headers: auth })).status, 200);
    const deleted = await rawRequest(server.url, server.ca, { path: `/deletedsecrets/lagging?${API}`, headers: auth });
    assert.equal(deleted.status, 404);
    assert.deepEqual(JSON.parse(deleted.body), { error: { code: "SecretNotFound", message: "Deleted Secret not found: lagging" } });
    assert.equal((await rawRequest(server.url, server.ca, { method: "POST", path: `/deletedsecrets/lagging/recover?${API}`, headers: auth })).status, 200);
    const recovered = await rawRequest(server.url, server.ca, { path: `/secrets/lagging/?${API}`, headers: auth });
    assert.equal(recovered.status, 404);
    assert.equal((JSON.parse(recovered.body) as { error: { code: string } }).error.code, "SecretNotFound");
    // Other secrets are not held back.
    server.store().setSecret("steady", new SecretStr("v"));
    assert.equal((await rawRequest(server.url, server.ca, { path: `/secrets/steady/?${API}`, headers: auth })).status, 200);
  });

  it("keys lag the same way, and a key's window does not hold back a secret of the same name", async () => {
    await server.store().keys.createKey("shared-name", { kty: "EC" });
    server.store().setSecret("shared-name", new SecretStr("v"));
    assert.equal((await rawRequest(server.url, server.ca, { method: "DELETE", path: `/keys/shared-name?${API}`, headers: auth })).status, 200);
    const deleted = await rawRequest(server.url, server.ca, { path: `/deletedkeys/shared-name?${API}`, headers: auth });
    assert.equal(deleted.status, 404);
    assert.equal((JSON.parse(deleted.body) as { error: { code: string } }).error.code, "KeyNotFound");
    assert.equal((await rawRequest(server.url, server.ca, { method: "POST", path: `/deletedkeys/shared-name/recover?${API}`, headers: auth })).status, 200);
    const recovered = await rawRequest(server.url, server.ca, { path: `/keys/shared-name/?${API}`, headers: auth });
    assert.equal(recovered.status, 404);
    assert.equal((JSON.parse(recovered.body) as { error: { code: string } }).error.code, "KeyNotFound");
    assert.equal((await rawRequest(server.url, server.ca, { path: `/secrets/shared-name/?${API}`, headers: auth })).status, 200);
  });

  it("the window closes after the delay, per vault and name (case-insensitive)", () => {
    let now = 1000;
    const window = new ConsistencyWindow(2000, () => now);
    window.record("dev", "beginDeleteSecret", "Db");
    assert.throws(() => window.check("dev", "getDeletedSecret", "db"), /Deleted Secret not found: db/);
    window.check("other", "getDeletedSecret", "db");
    window.check("dev", "getSecret", "db");
    now = 2999;
    assert.throws(() => window.check("dev", "getDeletedSecret", "DB"));
    now = 3000;
    window.check("dev", "getDeletedSecret", "db");
    window.record("dev", "beginRecoverDeletedSecret", "db");
    assert.throws(() => window.check("dev", "getSecret", "db"), /was not found/);
    now = 5000;
    window.check("dev", "getSecret", "db");
  });
});
