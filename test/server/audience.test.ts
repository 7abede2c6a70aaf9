import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { signJwt, type JwtClaims } from "../../src/server/identity/jwt.js";
import { loadSigningKey, type SigningKey } from "../../src/server/identity/signing-key.js";
import { SERVER_TENANT } from "../../src/server/identity/token-service.js";
import { ServerNames } from "../../src/server/server-names.js";
import { rawRequest, startTestServer, type TestServer } from "../helpers/server.js";
import { addServicePrincipal } from "../helpers/strict.js";

/** Item 6 of issue 9: which audiences and Host headers a strict server takes as its own. */
describe("strict server: token audiences and Host names", () => {
  let server: TestServer;
  let key: SigningKey;
  let app: { clientId: string; secret: string };
  let port: string;

  before(async () => {
    server = await startTestServer({ auth: "strict", vaults: ["alpha", "beta"] });
    key = loadSigningKey(server.dataDir);
    app = addServicePrincipal(server, "reader", ["Key Vault Secrets User"]);
    server.store().setSecret("db", "value");
    port = new URL(server.url).port;
  });
  after(async () => {
    await server?.close();
  });

  function token(aud: string): string {
    const t = Math.floor(Date.now() / 1000);
    const claims: JwtClaims = { iss: `https://127.0.0.1:${port}/${SERVER_TENANT}/v2.0`, aud, sub: app.clientId, iat: t, nbf: t, exp: t + 600 };
    return signJwt(claims, key.privateKey, key.keyId);
  }
  const get = (aud: string, host?: string) =>
    rawRequest(server.url, server.ca, {
      path: "/secrets/db?api-version=7.5",
      headers: { authorization: `Bearer ${token(aud)}`, ...(host ? { host } : {}) },
      // TLS names the server by its certificate; the Host header is the client's claim under test.
      servername: "localhost",
    });

  test("a token for a name the client chose is refused, whatever Host it comes with", async () => {
    const withItsHost = await get("https://attacker.example", "attacker.example");
    assert.equal(withItsHost.status, 400, withItsHost.body);
    assert.equal((JSON.parse(withItsHost.body) as { error: { code: string } }).error.code, "BadParameter");
    assert.equal((await get("https://attacker.example")).status, 401);
    assert.equal((await get(`https://attacker.example:${port}`, `attacker.example:${port}`)).status, 400);
  });

  test("a resource that merely starts with Key Vault's is not Key Vault's", async () => {
    assert.equal((await get("https://vault.azure.net.evil.example")).status, 401);
    assert.equal((await get("https://vault.azure.net")).status, 200);
    assert.equal((await get("https://vault.azure.cn")).status, 200, "a sovereign cloud's resource is Key Vault's too");
  });

  test("the server's own names are audiences, with its ports", async () => {
    assert.equal((await get(`https://127.0.0.1:${port}`)).status, 200);
    assert.equal((await get(`https://localhost:${port}`)).status, 200);
    assert.equal((await get(`https://alpha.localhost:${port}`, `alpha.localhost:${port}`)).status, 200, "NAME.localhost routing still works");
    assert.equal((await get("https://127.0.0.1:1")).status, 401, "not one of its ports");
  });

  test("the token endpoint issues tokens only for those audiences", async () => {
    const ask = (scope: string) =>
      rawRequest(server.url, server.ca, {
        method: "POST",
        path: `/${SERVER_TENANT}/oauth2/v2.0/token`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: app.clientId, client_secret: app.secret, scope }).toString(),
      });
    for (const resource of ["https://vault.azure.net.evil.example", "https://attacker.example", "https://vault.azure.net@evil.example"]) {
      const refused = await ask(`${resource}/.default`);
      assert.equal(refused.status, 400, `${resource}: ${refused.body}`);
      assert.equal((JSON.parse(refused.body) as { error: string }).error, "invalid_resource");
    }
    assert.equal((await ask("https://vault.azure.net/.default")).status, 200);
    assert.equal((await ask(`${server.url}/.default`)).status, 200);
  });

  test("a request to a Host that is not the server's is refused before any route, token endpoint included", async () => {
    const discovery = await rawRequest(server.url, server.ca, { path: `/${SERVER_TENANT}/v2.0/.well-known/openid-configuration`, headers: { host: "evil.example" }, servername: "localhost" });
    assert.equal(discovery.status, 400);
    assert.match(discovery.body, /not a name of this server/);
  });
});

describe("ServerNames", () => {
  const names = new ServerNames(["localhost", "*.localhost", "127.0.0.1", "::1", "*.vault.azure.net"]);
  names.addPort(8443);
  test("exact names, IPv6 in brackets, and one label under a wildcard", () => {
    for (const own of ["localhost", "LOCALHOST.", "dev.localhost", "127.0.0.1", "[::1]", "myvault.vault.azure.net"]) assert.ok(names.isOwnHost(own), own);
    for (const other of ["a.b.localhost", "evil.example", "localhost.evil.example", ".localhost", "vault.azure.net"]) assert.ok(!names.isOwnHost(other), other);
  });
  test("audiences", () => {
    for (const aud of ["https://vault.azure.net", "https://vault.azure.net/", "https://localhost:8443", "https://myvault.vault.azure.net"]) assert.ok(names.acceptsAudience(aud), aud);
    for (const aud of ["http://localhost:8443", "https://localhost:9000", "https://localhost:8443/x", "https://u@localhost:8443", "https://vault.azure.net.evil.example"]) {
      assert.ok(!names.acceptsAudience(aud), aud);
    }
  });
});
