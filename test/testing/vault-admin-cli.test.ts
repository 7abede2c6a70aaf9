import { SecretClient } from "@azure/keyvault-secrets";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { MovableClock } from "../../src/server/movable-clock.js";
import { cli } from "../cli/run.js";
import { readyOf, serve } from "../helpers/serve-process.js";
import { credential, rawRequest, sdkClientOptions, startTestServer } from "../helpers/server.js";
import { addServicePrincipal, serverCredential } from "../helpers/strict.js";

const DAY = 86_400_000;

describe("vault serve --seed, orbitra vault time and vault faults (a real server process)", () => {
  let home: string;
  let server: ReturnType<typeof serve>;
  let url: string;
  let ca: string;
  before(async () => {
    home = mkdtempSync(join(tmpdir(), "orbitra-kit-serve-"));
    const seedFile = join(home, "seed.json");
    writeFileSync(seedFile, JSON.stringify({ secrets: { "db-password": "hunter2", soon: { value: "x", expiresOn: new Date(Date.now() + DAY).toISOString() } } }));
    server = serve(home, ["--port", "0", "--json", "--quiet", "--seed", seedFile]);
    const ready = await readyOf(server);
    url = ready.vaults[0]!.url;
    ca = readFileSync(ready.caFile, "utf8");
  });
  after(async () => {
    server.child.kill("SIGTERM");
    await server.exited;
    assert.equal(existsSync(join(home, "server", "admin.json")), false, "the token file goes with the server");
    rmSync(home, { recursive: true, force: true });
  });

  it("serves the seeded secrets", async () => {
    const client = new SecretClient(url, credential, sdkClientOptions(ca));
    assert.equal((await client.getSecret("db-password")).value, "hunter2");
  });

  it("vault time advance 30d moves the server's clock: new secrets are created 30 days on, the seeded one is past expiry", async () => {
    const moved = await cli(["vault", "time", "advance", "30d"], { ORBITRA_HOME: home });
    assert.equal(moved.code, 0, moved.stderr);
    const offset = (JSON.parse(moved.stdout) as { offsetMs: number }).offsetMs;
    assert.ok(Math.abs(offset - 30 * DAY) < 60_000);
    const client = new SecretClient(url, credential, sdkClientOptions(ca));
    const created = await client.setSecret("fresh", "v");
    assert.ok(created.properties.createdOn!.getTime() > Date.now() + 29 * DAY);
    const soon = await client.getSecret("soon");
    assert.equal(soon.value, "x");
    assert.ok(soon.properties.expiresOn! < created.properties.createdOn!);
    assert.equal((await cli(["vault", "time", "set", "now"], { ORBITRA_HOME: home })).code, 0);
    assert.equal((await cli(["vault", "time", "advance", "soon"], { ORBITRA_HOME: home })).code !== 0, true);
  });

  it("vault faults set --fail-next 1 fails one request, vault faults clear switches all off", async () => {
    const client = new SecretClient(url, credential, { ...sdkClientOptions(ca), retryOptions: { maxRetries: 0 } });
    await client.getSecret("db-password");
    const set = await cli(["vault", "faults", "set", "--fail-next", "1", "--fail-status", "503"], { ORBITRA_HOME: home });
    assert.equal(set.code, 0, set.stderr);
    await assert.rejects(client.getSecret("db-password"), { statusCode: 503 });
    assert.equal((await client.getSecret("db-password")).value, "hunter2");
    const cleared = await cli(["vault", "faults", "clear"], { ORBITRA_HOME: home });
    assert.deepEqual(JSON.parse(cleared.stdout), {});
  });

  it("without a running server the commands say so", async () => {
    const empty = mkdtempSync(join(tmpdir(), "orbitra-kit-none-"));
    try {
      const run = await cli(["vault", "time", "show"], { ORBITRA_HOME: empty });
      assert.notEqual(run.code, 0);
      assert.match(run.stderr, /No 'orbitra vault serve' is running/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("the admin routes in strict mode", () => {
  it("need the admin token and a Key Vault Administrator's bearer token", async () => {
    const token = randomBytes(16).toString("hex");
    const server = await startTestServer({ auth: "strict", admin: { token, clock: new MovableClock() } });
    try {
      const officer = addServicePrincipal(server, "officer", ["Key Vault Secrets Officer"]);
      const boss = addServicePrincipal(server, "boss", ["Key Vault Administrator"]);
      const bearer = async (p: { clientId: string; secret: string }) =>
        (await serverCredential(server, p.clientId, p.secret).getToken("https://vault.azure.net/.default"))!.token;
      const ask = (headers: Record<string, string>) => rawRequest(server.url, server.ca, { method: "GET", path: "/_orbitra/time", headers });
      assert.equal((await ask({ authorization: `Bearer ${await bearer(boss)}` })).status, 403, "no admin token");
      assert.equal((await ask({ "x-orbitra-admin-token": token })).status, 401, "no bearer token");
      assert.equal((await ask({ "x-orbitra-admin-token": token, authorization: `Bearer ${await bearer(officer)}` })).status, 403, "not an administrator");
      assert.equal((await ask({ "x-orbitra-admin-token": token, authorization: `Bearer ${await bearer(boss)}` })).status, 200);
    } finally {
      await server.close();
    }
  });
});
