import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { IdentityStore } from "../../src/server/identity/identity-store.js";
import { SERVER_TENANT } from "../../src/server/identity/token-service.js";
import { postForm, rawRequest, startTestServer, type TestServer } from "../helpers/server.js";

/**
 * The user sign-in grants at the wire, for what MSAL never sends: codes redeemed twice, by another
 * client, by the wrong grant, without the PKCE verifier; refresh and access tokens swapped.
 */
describe("strict server: device-code, authorization-code and refresh grants", () => {
  let server: TestServer;
  let aliceId: string;
  const base = `/${SERVER_TENANT}/oauth2/v2.0`;
  const scope = "https://vault.azure.net/.default openid profile offline_access";

  before(async () => {
    server = await startTestServer({ auth: "strict" });
    const identities = IdentityStore.open(server.dataDir);
    const { principal } = identities.addPrincipal("alice", "user");
    identities.assignRole(principal.id, "Key Vault Secrets User", undefined);
    identities.close();
    aliceId = principal.id;
    server.store().setSecret("db", "value");
  });
  after(async () => {
    await server?.close();
  });

  const post = (path: string, form: Record<string, string>) => postForm(server, path, form);
  const json = (body: string) => JSON.parse(body) as Record<string, string>;

  function approve(userCode: string): void {
    const identities = IdentityStore.open(server.dataDir);
    try {
      identities.deviceCodes.decide(userCode, { approveAs: aliceId }, Math.floor(Date.now() / 1000));
    } finally {
      identities.close();
    }
  }

  async function deviceCode(clientId = "cli-a") {
    const res = await post(`${base}/devicecode`, { client_id: clientId, scope });
    assert.equal(res.status, 200, res.body);
    return json(res.body);
  }

  const redeemDevice = (code: string, clientId = "cli-a") => post(`${base}/token`, { grant_type: "device_code", device_code: code, client_id: clientId, scope });

  test("a device code is pending until approved, redeemable once, and only by the client it was issued to", async () => {
    const issued = await deviceCode();
    const pending = await redeemDevice(issued.device_code!);
    assert.deepEqual([pending.status, json(pending.body).error], [400, "authorization_pending"]);
    approve(issued.user_code!);
    const other = await redeemDevice(issued.device_code!, "cli-b");
    assert.deepEqual([other.status, json(other.body).error], [400, "invalid_grant"]);
    const ok = await redeemDevice(issued.device_code!);
    assert.equal(ok.status, 200, ok.body);
    const tokens = json(ok.body);
    for (const field of ["access_token", "refresh_token", "id_token", "client_info"]) assert.ok(tokens[field], field);
    const again = await redeemDevice(issued.device_code!);
    assert.deepEqual([again.status, json(again.body).error], [400, "invalid_grant"]);

    const read = await rawRequest(server.url, server.ca, { path: "/secrets/db?api-version=7.5", headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(read.status, 200, read.body);
  });

  test("refresh and access tokens cannot stand in for each other; a refresh token is bound to its client", async () => {
    const issued = await deviceCode();
    approve(issued.user_code!);
    const tokens = json((await redeemDevice(issued.device_code!)).body);
    const asAccess = await rawRequest(server.url, server.ca, { path: "/secrets/db?api-version=7.5", headers: { authorization: `Bearer ${tokens.refresh_token}` } });
    assert.equal(asAccess.status, 401);
    const refresh = (token: string, clientId = "cli-a") => post(`${base}/token`, { grant_type: "refresh_token", refresh_token: token, client_id: clientId, scope });
    assert.equal(json((await refresh(tokens.access_token!)).body).error, "invalid_grant");
    assert.equal(json((await refresh(tokens.refresh_token!, "cli-b")).body).error, "invalid_grant");
    const renewed = await refresh(tokens.refresh_token!);
    assert.equal(renewed.status, 200, renewed.body);
    assert.notEqual(json(renewed.body).refresh_token, tokens.refresh_token, "each use rotates the refresh token");
  });

  test("browser sign-in: loopback redirect only, PKCE required, and its code is not a device code", async () => {
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const authorize = (params: Record<string, string>) =>
      rawRequest(server.url, server.ca, { path: `${base}/authorize?${new URLSearchParams({ client_id: "cli-a", response_type: "code", scope, state: "s1", ...params })}` });

    const foreign = await authorize({ redirect_uri: "https://evil.example/cb", code_challenge: challenge, code_challenge_method: "S256" });
    assert.equal(foreign.status, 400);
    assert.equal(foreign.headers.location, undefined, "never redirects to a URI it cannot trust");
    const noPkce = await authorize({ redirect_uri: "http://localhost:1234" });
    assert.equal(noPkce.status, 302);
    assert.match(String(noPkce.headers.location), /error=invalid_request.*state=s1|state=s1.*error=invalid_request/);

    const page = await authorize({ redirect_uri: "http://localhost:1234", code_challenge: challenge, code_challenge_method: "S256" });
    assert.equal(page.status, 200);
    const userCode = /Sign-in code ([A-Z0-9-]+)/.exec(page.body)![1]!;
    const continueUrl = /url=([^"]+)"/.exec(page.body)![1]!.replace(/&#38;/g, "&");
    const code = new URL(continueUrl).searchParams.get("request")!;
    approve(userCode);
    const back = await rawRequest(server.url, server.ca, { path: new URL(continueUrl).pathname + new URL(continueUrl).search });
    assert.equal(back.status, 302);
    assert.equal(String(back.headers.location), `http://localhost:1234/?code=${code}&state=s1`);

    assert.equal(json((await redeemDevice(code)).body).error, "invalid_grant", "a device-code poll cannot skip PKCE");
    const redeem = (v: string, redirect = "http://localhost:1234") =>
      post(`${base}/token`, { grant_type: "authorization_code", code, client_id: "cli-a", redirect_uri: redirect, code_verifier: v, scope });
    assert.equal(json((await redeem("wrong-verifier-wrong-verifier-wrong-verifier")).body).error, "invalid_grant");
    assert.equal(json((await redeem(verifier, "http://localhost:9999")).body).error, "invalid_grant");
    const ok = await redeem(verifier);
    assert.equal(ok.status, 200, ok.body);
    assert.ok(json(ok.body).access_token);
  });

  test("a malformed device-code request gets Entra's error shape", async () => {
    const noClient = await post(`${base}/devicecode`, { scope });
    assert.deepEqual([noClient.status, json(noClient.body).error], [400, "invalid_request"]);
    const badScope = await post(`${base}/devicecode`, { client_id: "cli-a", scope: "openid" });
    assert.deepEqual([badScope.status, json(badScope.body).error], [400, "invalid_scope"]);
    const page = await rawRequest(server.url, server.ca, { path: "/devicelogin" });
    assert.equal(page.status, 200);
    assert.match(page.body, /orbitra vault device approve CODE --user NAME/);
  });
});
