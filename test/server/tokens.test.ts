import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { signJwt, type JwtClaims } from "../../src/server/identity/jwt.js";
import { loadSigningKey, type SigningKey } from "../../src/server/identity/signing-key.js";
import { SERVER_TENANT } from "../../src/server/identity/token-service.js";
import { rawRequest, startTestServer, type TestServer } from "../helpers/server.js";
import { addServicePrincipal } from "../helpers/strict.js";

/** Token edge cases against a strict server: tokens crafted with the server's own key (or another). */
describe("strict server: token validation", () => {
  let server: TestServer;
  let key: SigningKey;
  let clientId: string;
  const now = () => Math.floor(Date.now() / 1000);

  before(async () => {
    server = await startTestServer({ auth: "strict" });
    key = loadSigningKey(server.dataDir);
    clientId = addServicePrincipal(server, "reader", ["Key Vault Secrets User"]).clientId;
    server.store().setSecret("db", "value");
  });
  after(async () => {
    await server?.close();
  });

  function claims(overrides: Partial<JwtClaims> = {}): JwtClaims {
    const t = now();
    return {
      iss: `https://127.0.0.1/${SERVER_TENANT}/v2.0`,
      aud: "https://vault.azure.net",
      sub: clientId,
      iat: t,
      nbf: t,
      exp: t + 3600,
      ...overrides,
    };
  }

  function get(token: string | undefined) {
    return rawRequest(server.url, server.ca, {
      path: "/secrets/db?api-version=7.5",
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
  }

  async function expect401(token: string | undefined, message: RegExp, invalidToken = true) {
    const res = await get(token);
    assert.equal(res.status, 401, res.body);
    const challenge = String(res.headers["www-authenticate"]);
    assert.match(challenge, /^Bearer authorization="https:\/\/login\.microsoftonline\.com\/[0-9a-f-]+", resource="https:\/\/vault\.azure\.net"/);
    assert.doesNotMatch(challenge, /insufficient_claims/);
    assert.equal(challenge.includes('error="invalid_token"'), invalidToken);
    const body = JSON.parse(res.body) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "Unauthorized");
    assert.match(body.error.message, message);
  }

  const sign = (c: JwtClaims) => signJwt(c, key.privateKey, key.keyId);

  test("a valid token reads", async () => {
    assert.equal((await get(sign(claims()))).status, 200);
  });
  test("the vault's own URL is an accepted audience", async () => {
    assert.equal((await get(sign(claims({ aud: server.url })))).status, 200);
  });
  test("no token: plain challenge without error=", () => expect401(undefined, /missing a Bearer/, false));
  test("expired beyond the skew", () => expect401(sign(claims({ exp: now() - 400 })), /expired/));
  test("expired within the 5-minute skew still passes", async () => {
    assert.equal((await get(sign(claims({ exp: now() - 120 })))).status, 200);
  });
  test("not yet valid beyond the skew", () => expect401(sign(claims({ nbf: now() + 600 })), /not yet valid/));
  test("not yet valid within the skew passes", async () => {
    assert.equal((await get(sign(claims({ nbf: now() + 120 })))).status, 200);
  });
  test("signed by another key", () => {
    const other = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    return expect401(signJwt(claims(), other, key.keyId), /signature/);
  });
  test("payload altered after signing", () => {
    const [h, , s] = sign(claims()).split(".");
    const forged = Buffer.from(JSON.stringify(claims({ sub: "00000000-0000-0000-0000-000000000001" }))).toString("base64url");
    return expect401(`${h}.${forged}.${s}`, /signature/);
  });
  test("alg none", () => {
    const h = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const p = Buffer.from(JSON.stringify(claims())).toString("base64url");
    return expect401(`${h}.${p}.AA`, /algorithm/);
  });
  test("wrong audience", () => expect401(sign(claims({ aud: "https://management.azure.com" })), /audience/));
  test("wrong issuer", () => expect401(sign(claims({ iss: "https://login.microsoftonline.com/other/v2.0" })), /issuer/));
  test("not a JWT", () => expect401("orbitra-open-mode", /not a JWT/));
  test("a valid token of an unknown subject is a 403, not a 401", async () => {
    const res = await get(sign(claims({ sub: "11111111-1111-1111-1111-111111111111" })));
    assert.equal(res.status, 403);
    const body = JSON.parse(res.body) as { error: { code: string; innererror: { code: string }; message: string } };
    assert.equal(body.error.code, "Forbidden");
    assert.equal(body.error.innererror.code, "ForbiddenByRbac");
    assert.match(body.error.message, /Action: 'Microsoft\.KeyVault\/vaults\/secrets\/getSecret\/action'/);
  });
  test("the signing key file is private", async () => {
    const { statSync } = await import("node:fs");
    const { join } = await import("node:path");
    assert.equal(statSync(join(server.dataDir, "token-signing-key.pem")).mode & 0o777, 0o600);
    assert.equal(statSync(join(server.dataDir, "identity.db")).mode & 0o777, 0o600);
  });
  test("token endpoint: discovery document and unsupported grant", async () => {
    const disc = await rawRequest(server.url, server.ca, { path: `/${SERVER_TENANT}/v2.0/.well-known/openid-configuration` });
    assert.equal(disc.status, 200);
    const doc = JSON.parse(disc.body) as Record<string, string>;
    assert.equal(doc.token_endpoint, `${server.url}/${SERVER_TENANT}/oauth2/v2.0/token`);
    const bad = await rawRequest(server.url, server.ca, {
      method: "POST",
      path: `/${SERVER_TENANT}/oauth2/v2.0/token`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=password&username=a&password=b",
    });
    assert.equal(bad.status, 400);
    assert.equal((JSON.parse(bad.body) as { error: string }).error, "unsupported_grant_type");
  });
});

describe("strict server: binding", () => {
  test("open mode refuses a non-loopback address", async () => {
    const { startVaultServer } = await import("../../src/server/serve.js");
    await assert.rejects(startVaultServer({ dataDir: "/nonexistent-unused", host: "0.0.0.0", port: 0, env: {} }), /open mode/);
  });
});
