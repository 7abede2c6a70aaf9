import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { rawRequest, startTestServer, type TestServer } from "../helpers/server.js";
import { consoleDir } from "../helpers/console-build.js";

describe("the web console's routes (issue 13)", () => {
  let server: TestServer;
  let token: string;
  before(async () => {
    server = await startTestServer({ console: { dir: await consoleDir() } });
    token = new URL(server.vaults[0]!.consoleUrl!).hash.replace("#token=", "");
  });
  after(() => server.close());

  it("prints a console URL whose token is in the fragment, never in the path or query", () => {
    const url = new URL(server.vaults[0]!.consoleUrl!);
    assert.equal(url.pathname, "/_console/");
    assert.equal(url.search, "");
    assert.match(token, /^[A-Za-z0-9_-]{32}$/);
  });

  it("serves the page with a strict CSP, no caching of the page, and hashed assets cached for good", async () => {
    const page = await rawRequest(server.url, server.ca, { path: "/_console/" });
    assert.equal(page.status, 200);
    assert.match(String(page.headers["content-type"]), /^text\/html/);
    const csp = String(page.headers["content-security-policy"]);
    assert.match(csp, /script-src 'self';/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(page.headers["cache-control"], "no-cache");
    assert.equal(page.headers["x-content-type-options"], "nosniff");
    assert.doesNotMatch(page.body, /<script>|<script [^>]*>[^<]/, "no inline script");
    const script = /src="\.\/assets\/([^"]+\.js)"/.exec(page.body)![1]!;
    const asset = await rawRequest(server.url, server.ca, { path: `/_console/assets/${script}` });
    assert.equal(asset.status, 200);
    assert.match(String(asset.headers["content-type"]), /^text\/javascript/);
    assert.equal(asset.headers["cache-control"], "public, max-age=31536000, immutable");
  });

  it("redirects /_console to /_console/ and answers 404 for unknown files, 405 for writes", async () => {
    const bare = await rawRequest(server.url, server.ca, { path: "/_console" });
    assert.equal(bare.status, 308);
    assert.equal(bare.headers.location, "/_console/");
    assert.equal((await rawRequest(server.url, server.ca, { path: "/_console/../secrets" })).status, 404);
    assert.equal((await rawRequest(server.url, server.ca, { path: "/_console/nope.js" })).status, 404);
    assert.equal((await rawRequest(server.url, server.ca, { method: "PUT", path: "/_console/index.html", body: "x" })).status, 405);
  });

  it("tells the page which vaults there are and how to sign in", async () => {
    const config = JSON.parse((await rawRequest(server.url, server.ca, { path: "/_console/config.json" })).body);
    assert.deepEqual(config, { auth: "open", vault: "default", vaults: [{ name: "default", url: server.url }] });
  });

  it("accepts this start's token at /_console/session and refuses any other", async () => {
    const ok = await rawRequest(server.url, server.ca, { method: "POST", path: "/_console/session", body: token });
    assert.equal(ok.status, 204);
    const wrong = await rawRequest(server.url, server.ca, { method: "POST", path: "/_console/session", body: `${token.slice(1)}x` });
    assert.equal(wrong.status, 401);
    assert.doesNotMatch(wrong.body, new RegExp(token));
  });

  it("refuses a foreign Host (DNS rebinding) for the console as for the API", async () => {
    const answer = await rawRequest(server.url, server.ca, { path: "/_console/", headers: { host: "evil.example:443" }, servername: "localhost" });
    assert.equal(answer.status, 400);
    assert.match(answer.body, /not a name of this server/);
  });

  it("answers no CORS preflight from another origin, for the console or the API", async () => {
    for (const path of ["/_console/session", "/secrets/db?api-version=7.5"]) {
      const answer = await rawRequest(server.url, server.ca, {
        method: "OPTIONS",
        path,
        headers: { origin: "https://evil.example", "access-control-request-method": "PUT", "access-control-request-headers": "authorization" },
      });
      assert.equal(answer.headers["access-control-allow-origin"], undefined, path);
      assert.equal(answer.headers["access-control-allow-headers"], undefined, path);
    }
  });

  it("leaves paths that only start like the console to the vault API", async () => {
    const answer = await rawRequest(server.url, server.ca, { path: "/_consolex?api-version=7.5", headers: { authorization: "Bearer t" } });
    assert.notEqual(answer.status, 200);
    assert.match(answer.body, /"error"/);
  });

  it("is not served with console: false (--no-console), and no URL is printed", async () => {
    const plain = await startTestServer({ console: false });
    try {
      assert.equal(plain.vaults[0]!.consoleUrl, undefined);
      const answer = await rawRequest(plain.url, plain.ca, { path: "/_console/" });
      assert.notEqual(answer.status, 200);
      assert.doesNotMatch(answer.body, /<html/);
    } finally {
      await plain.close();
    }
  });
});

describe("strict mode's browser sign-in for the console (issue 13)", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ auth: "strict", console: { dir: await consoleDir() } });
  });
  after(() => server.close());

  const authorize = (redirect: string) =>
    rawRequest(server.url, server.ca, {
      path:
        `/00000000-0000-0000-0000-000000000000/oauth2/v2.0/authorize?client_id=orbitra-console&response_type=code&scope=https%3A%2F%2Fvault.azure.net%2F.default` +
        `&code_challenge=${"a".repeat(43)}&code_challenge_method=S256&redirect_uri=${encodeURIComponent(redirect)}`,
    });

  it("has no open-mode token: the page signs in instead", () => {
    assert.equal(new URL(server.vaults[0]!.consoleUrl!).hash, "");
  });

  it("accepts the console's page on the server's own origin as a redirect URI", async () => {
    const answer = await authorize(`${server.url}/_console/`);
    assert.equal(answer.status, 200);
    assert.match(answer.body, /Sign-in code/);
  });

  it("refuses another origin, another path, or a query on the console's redirect URI", async () => {
    const port = new URL(server.url).port;
    for (const redirect of ["https://evil.example/_console/", `https://127.0.0.1:${Number(port) + 1}/_console/`, `${server.url}/_console/x`, `${server.url}/_console/?a=1`]) {
      const answer = await authorize(redirect);
      assert.equal(answer.status, 400, redirect);
      assert.equal(answer.headers.location, undefined, redirect);
    }
  });
});
