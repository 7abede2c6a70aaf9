import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import net from "node:net";
import { PassThrough } from "node:stream";
import { after, before, describe, it } from "node:test";
import { SecretStr } from "../../src/core/secret-str.js";
import { createConnectProxy } from "../../src/server/proxy/connect-proxy.js";
import { startVaultServer, type ServedProxy } from "../../src/server/serve.js";
import { connectThrough, requestThroughTunnel } from "../helpers/proxy.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

// `vault serve --proxy` with real sockets: what it tunnels, what it refuses, and what Entra and
// ARM answer inside a tunnel. The SDKs through it are in proxy-clients.test.ts.

const API = "api-version=7.5";

describe("vault serve --proxy", () => {
  let server: TestServer & { proxy: ServedProxy };
  const log: string[] = [];

  before(async () => {
    const started = await startTestServer({ vaults: ["dev", "staging"], proxy: {}, accessLog: (line) => log.push(line) });
    assert.ok(started.proxy);
    server = { ...started, proxy: started.proxy };
  });
  after(async () => server.close());

  it("the test processes run under the loopback guard: a connection beyond loopback throws before any packet", () => {
    assert.throws(() => net.connect(443, "192.0.2.1"), /loopback guard/);
    assert.throws(() => net.connect({ host: "example.com", port: 443 }), /loopback guard/);
    process.exitCode = 0;
  });

  it("tunnels NAME.vault.azure.net to vault NAME: ids on the Azure name, the certificate covers it", async () => {
    server.store("staging").setSecret("where", new SecretStr("staging-value"));
    const answer = await requestThroughTunnel(server.proxy.url, "staging.vault.azure.net:443", server.ca, {
      path: `/secrets/where/?${API}`,
      host: "staging.vault.azure.net",
      headers: { authorization: "Bearer any" },
    });
    assert.equal(answer.status, 200);
    const bundle = JSON.parse(answer.body) as { value: string; id: string };
    assert.equal(bundle.value, "staging-value");
    assert.match(bundle.id, /^https:\/\/staging\.vault\.azure\.net\/secrets\/where\/[0-9a-f]{32}$/);
    assert.ok(log.some((l) => /^proxy CONNECT staging\.vault\.azure\.net:443 200 .* -> vault staging$/.test(l)), log.join("\n"));
  });

  it("refuses CONNECT to any other host or port with 403, and logs it; nothing is forwarded", async () => {
    for (const target of ["example.com:443", "vault.azure.net:443", "a.dev.vault.azure.net:443", "dev.vault.azure.net:80", "127.0.0.1:443", "login.microsoftonline.com.evil.test:443"]) {
      const answer = await connectThrough(server.proxy.url, target);
      assert.equal(answer.status, 403, target);
      assert.match(answer.body, /nothing is forwarded/);
      assert.ok(log.some((l) => l.startsWith(`proxy CONNECT ${target} 403`)), target);
    }
  });

  it("answers a vault name it does not serve with 404 VaultNotFound, naming the vaults served in its log", async () => {
    const answer = await connectThrough(server.proxy.url, "prod.vault.azure.net:443");
    assert.equal(answer.status, 404);
    assert.equal((JSON.parse(answer.body) as { error: { code: string } }).error.code, "VaultNotFound");
    assert.ok(log.some((l) => l.includes("prod.vault.azure.net:443 404") && l.includes("vaults served: dev, staging")), log.join("\n"));
  });

  it("refuses plain HTTP, absolute-form or not, with 403 and forwards nothing", async () => {
    const proxy = new URL(server.proxy.url);
    for (const path of ["http://example.com/", "/", "http://dev.vault.azure.net/secrets"]) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: proxy.hostname, port: proxy.port, path, headers: { host: "example.com" }, agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on("error", reject);
        req.end();
      });
      assert.equal(status, 403, path);
    }
  });

  it("refuses a foreign Host inside a tunnel (421), and a Host that differs from the TLS name", async () => {
    const foreign = await requestThroughTunnel(server.proxy.url, "dev.vault.azure.net:443", server.ca, {
      path: `/secrets?${API}`,
      host: "example.com",
      servername: "dev.vault.azure.net",
      headers: { authorization: "Bearer any" },
    });
    assert.equal(foreign.status, 421);
    const crossed = await requestThroughTunnel(server.proxy.url, "dev.vault.azure.net:443", server.ca, {
      path: `/secrets?${API}`,
      host: "staging.vault.azure.net",
      headers: { authorization: "Bearer any" },
    });
    assert.equal(crossed.status, 421);
  });

  it("drops a peer that is not loopback before reading a byte", () => {
    const proxy = createConnectProxy({ decide: () => assert.fail("nothing may be decided for a foreign peer") });
    for (const [remoteAddress, dropped] of [["10.0.0.5", true], ["::ffff:192.0.2.1", true], ["127.0.0.1", false], ["::1", false]] as const) {
      const socket = Object.assign(new PassThrough(), { remoteAddress });
      proxy.emit("connection", socket);
      assert.equal(socket.destroyed, dropped, remoteAddress);
      socket.destroy();
    }
  });

  it("will not run the proxy beyond loopback", async () => {
    await assert.rejects(
      startVaultServer({ dataDir: server.dataDir, host: "0.0.0.0", port: 0, auth: "strict", env: {}, proxy: {} }),
      (error: Error & { code?: string }) => error.code === "Configuration" && /loopback only/.test(error.message),
    );
  });

  it("answers Entra's instance discovery and OpenID documents on login.microsoftonline.com", async () => {
    const get = (path: string) =>
      requestThroughTunnel(server.proxy.url, "login.microsoftonline.com:443", server.ca, { path, host: "login.microsoftonline.com" });
    const instance = await get("/common/discovery/instance?api-version=1.1&authorization_endpoint=https://login.microsoftonline.com/common/oauth2/authorize");
    assert.equal(instance.status, 200);
    const discovery = JSON.parse(instance.body) as { tenant_discovery_endpoint: string; metadata: { aliases: string[] }[] };
    assert.equal(discovery.tenant_discovery_endpoint, "https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration");
    assert.ok(discovery.metadata[0]!.aliases.includes("login.windows.net"));
    const v2 = JSON.parse((await get("/contoso/v2.0/.well-known/openid-configuration")).body) as { token_endpoint: string; issuer: string };
    assert.match(v2.token_endpoint, /^https:\/\/login\.microsoftonline\.com\/[0-9a-f-]{36}\/oauth2\/v2\.0\/token$/);
    for (const path of ["/organizations/.well-known/openid-configuration", "/adfs/.well-known/openid-configuration"]) {
      const v1 = JSON.parse((await get(path)).body) as { issuer: string };
      assert.equal(v1.issuer.split("/")[3], "00000000-0000-0000-0000-000000000000", path);
    }
    const jwks = JSON.parse((await get("/common/discovery/v2.0/keys")).body) as { keys: { kty: string }[] };
    assert.equal(jwks.keys[0]!.kty, "EC");
    assert.ok(log.some((l) => l.startsWith("login GET /common/discovery/instance 200")));
  });

  it("open mode: any client id gets a token, with a secret or a certificate assertion; the token reads the vault", async () => {
    const grant = (form: string) =>
      requestThroughTunnel(server.proxy.url, "login.microsoftonline.com:443", server.ca, {
        method: "POST",
        path: "/00000000-0000-0000-0000-000000000000/oauth2/v2.0/token",
        host: "login.microsoftonline.com",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form,
      });
    const scope = encodeURIComponent("https://vault.azure.net/.default");
    const bySecret = await grant(`grant_type=client_credentials&client_id=anyone&client_secret=whatever&scope=${scope}`);
    assert.equal(bySecret.status, 200);
    const assertion = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJhbnlvbmUifQ.c2ln";
    const byAssertion = await grant(
      `grant_type=client_credentials&client_id=anyone&client_assertion_type=${encodeURIComponent("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")}&client_assertion=${assertion}&scope=${scope}`,
    );
    assert.equal(byAssertion.status, 200);
    assert.ok((JSON.parse(byAssertion.body) as { access_token: string }).access_token.split(".").length === 3);
    const missing = await grant(`grant_type=client_credentials&client_id=anyone&scope=${scope}`);
    assert.equal(missing.status, 400);
  });

  it("answers ARM's GET /subscriptions and /tenants with one local subscription and tenant; a bearer token is required", async () => {
    const get = (path: string, authorization?: string) =>
      requestThroughTunnel(server.proxy.url, "management.azure.com:443", server.ca, {
        path,
        host: "management.azure.com",
        headers: authorization ? { authorization } : {},
      });
    const subscriptions = await get("/subscriptions?api-version=2022-12-01", "Bearer t");
    assert.equal(subscriptions.status, 200);
    const sub = (JSON.parse(subscriptions.body) as { value: { subscriptionId: string; tenantId: string; state: string }[] }).value[0]!;
    assert.equal(sub.state, "Enabled");
    assert.equal(sub.tenantId, "00000000-0000-0000-0000-000000000000");
    assert.equal((await get(`/subscriptions/${sub.subscriptionId}?api-version=2022-12-01`, "Bearer t")).status, 200);
    const tenants = JSON.parse((await get("/tenants?api-version=2022-12-01", "Bearer t")).body) as { value: { tenantId: string }[] };
    assert.equal(tenants.value[0]!.tenantId, sub.tenantId);
    assert.equal((await get("/subscriptions?api-version=2022-12-01")).status, 401);
    assert.equal((await get("/subscriptions/x/resourceGroups?api-version=2022-12-01", "Bearer t")).status, 404);
    assert.ok(log.some((l) => l.startsWith("arm GET /subscriptions 200")));
  });
});

