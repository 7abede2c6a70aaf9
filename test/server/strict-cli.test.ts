import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { getSecretsClient } from "../../src/client/get-secrets-client.js";
import { AuthenticationError, PermissionDeniedError } from "../../src/core/errors.js";
import { cli } from "../cli/run.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

/**
 * The README walk-through against a strict server: a principal added and given Key Vault Secrets
 * User with the CLI reads but cannot write, through `orbitra secrets` (exit 4) and the library
 * (PermissionDeniedError); `account show` never prints a token, `account get-token` prints only one.
 */
describe("strict server with the CLI and the library", () => {
  let server: TestServer;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let clientId: string;
  let secret: string;

  before(async () => {
    server = await startTestServer({ auth: "strict" });
    server.store().setSecret("db-password", "s3cret-value");
    home = mkdtempSync(join(tmpdir(), "orbitra-strict-home-"));
    const added = await cli(["vault", "principal", "add", "ci-reader", "--data", server.dataDir], { ORBITRA_HOME: home });
    assert.equal(added.code, 0, added.stderr);
    secret = added.stdout.trim();
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/, "stdout carries the secret alone");
    clientId = /Client id: ([0-9a-f-]{36})/.exec(added.stderr)![1]!;
    const assigned = await cli(["vault", "role", "assign", "--principal", "ci-reader", "--role", "Key Vault Secrets User", "--data", server.dataDir], {
      ORBITRA_HOME: home,
    });
    assert.equal(assigned.code, 0, assigned.stderr);
    env = {
      ORBITRA_HOME: home,
      ORBITRA_KEY_VAULT_DEV: server.url,
      ORBITRA_CA_FILE_DEV: server.caFile,
      ORBITRA_APP_CLIENT_ID: clientId,
      ORBITRA_APP_CLIENT_SECRET: secret,
    };
  });
  after(async () => {
    await server?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  test("principal list shows the principal, never its secret", async () => {
    const listed = await cli(["vault", "principal", "list", "--data", server.dataDir], { ORBITRA_HOME: home });
    assert.match(listed.stdout, new RegExp(clientId));
    assert.ok(!listed.stdout.includes(secret) && !listed.stderr.includes(secret));
    const roles = await cli(["vault", "role", "list", "--data", server.dataDir], { ORBITRA_HOME: home });
    assert.match(roles.stdout, /Key Vault Secrets User/);
  });

  test("secrets get reads (fast path and commander)", async () => {
    for (const fastPath of [true, false]) {
      const got = await cli(["secrets", "get", "db-password", "-e", "dev"], env, { fastPath });
      assert.equal(got.code, 0, got.stderr);
      assert.equal(got.stdout.trim(), "s3cret-value");
    }
  });

  test("secrets set is denied: exit 4, naming the action", async () => {
    const set = await cli(["secrets", "set", "db-password", "--value", "x", "-e", "dev"], env);
    assert.equal(set.code, 4, set.stderr);
    assert.match(set.stderr, /setSecret\/action/);
  });

  test("the library raises PermissionDeniedError on a real 403", async () => {
    const client = getSecretsClient({ environment: "dev", env, cwd: home });
    try {
      assert.equal((await client.getSecret("db-password"))?.reveal(), "s3cret-value");
      await assert.rejects(client.writeSecret("db-password", "x"), (e: unknown) => e instanceof PermissionDeniedError && e.statusCode === 403);
    } finally {
      await client.close();
    }
  });

  test("without credentials a strict server answers 401: AuthenticationError, exit 4", async () => {
    const { ORBITRA_APP_CLIENT_ID: _id, ORBITRA_APP_CLIENT_SECRET: _s, ...anonymous } = env;
    const client = getSecretsClient({ environment: "dev", env: anonymous, cwd: home });
    try {
      await assert.rejects(client.getSecret("db-password"), (e: unknown) => e instanceof AuthenticationError);
    } finally {
      await client.close();
    }
    const got = await cli(["secrets", "get", "db-password", "-e", "dev"], anonymous);
    assert.equal(got.code, 4);
  });

  test("account show names the credential and identity without a token; get-token prints only the token", async () => {
    const shown = await cli(["account", "show", "-e", "dev", "--json"], env);
    assert.equal(shown.code, 0, shown.stderr);
    const info = JSON.parse(shown.stdout) as { credential: string; clientId: string; identity: { oid: string }; expiresOn: string };
    assert.equal(info.credential, "app-secret");
    assert.equal(info.identity.oid, clientId);
    assert.ok(!/eyJ[A-Za-z0-9_-]+\.eyJ/.test(shown.stdout + shown.stderr), "no JWT in account show");
    const text = await cli(["account", "show", "-e", "dev"], env);
    assert.ok(!/eyJ[A-Za-z0-9_-]+\.eyJ/.test(text.stdout + text.stderr));
    assert.ok(!(shown.stdout + text.stdout).includes(secret));
    const token = await cli(["account", "get-token", "--scope", "https://vault.azure.net/.default", "-e", "dev"], env);
    assert.equal(token.code, 0, token.stderr);
    assert.match(token.stdout, /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$/);
    assert.equal(token.stderr, "");
  });
});
