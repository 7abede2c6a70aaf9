import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { IdentityStore, REFRESH_REUSE_SECONDS } from "../../src/server/identity/identity-store.js";
import { SERVER_TENANT } from "../../src/server/identity/token-service.js";
import { postForm, startTestServer, type TestServer } from "../helpers/server.js";

/** Issue 9 item 9: a refresh token that was replaced, or revoked at logout, no longer works. */
describe("strict server: refresh-token rotation and revocation", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "orbitra-rotation-"));
  let server: TestServer;
  let clock = Date.now();
  const base = `/${SERVER_TENANT}/oauth2/v2.0`;
  const scope = "https://vault.azure.net/.default openid profile offline_access";

  before(async () => {
    const identities = IdentityStore.open(dataDir);
    identities.addPrincipal("alice", "user");
    identities.close();
    server = await startTestServer({ dataDir, auth: "strict", strict: { now: () => clock, autoApprove: "alice" } });
  });
  after(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = async (path: string, form: Record<string, string>) => {
    const res = await postForm(server, path, form);
    return { status: res.status, body: JSON.parse(res.body) as Record<string, string> };
  };
  const refresh = (token: string) => post(`${base}/token`, { grant_type: "refresh_token", refresh_token: token, client_id: "cli", scope });

  test("a replaced refresh token works for the reuse interval only; a revoked one not at all", async () => {
    const code = await post(`${base}/devicecode`, { client_id: "cli", scope });
    const first = await post(`${base}/token`, { grant_type: "device_code", device_code: code.body.device_code!, client_id: "cli", scope });
    assert.equal(first.status, 200);
    const r1 = first.body.refresh_token!;

    const second = await refresh(r1);
    assert.equal(second.status, 200);
    const r2 = second.body.refresh_token!;
    assert.equal((await refresh(r1)).status, 200, "two processes of one login may race on the same token");

    clock += (REFRESH_REUSE_SECONDS + 1) * 1000;
    const replayed = await refresh(r1);
    assert.deepEqual([replayed.status, replayed.body.error], [400, "invalid_grant"], "rotated out");
    const third = await refresh(r2);
    assert.equal(third.status, 200, "its successor works");
    const r3 = third.body.refresh_token!;

    assert.equal((await post(`${base}/revoke`, { token: r3, client_id: "cli", token_type_hint: "refresh_token" })).status, 200);
    assert.equal((await post(`${base}/revoke`, { token: "not-a-token", client_id: "cli" })).status, 200, "revocation tells nothing");
    const revoked = await refresh(r3);
    assert.deepEqual([revoked.status, revoked.body.error], [400, "invalid_grant"], "revoked");
  });
});
