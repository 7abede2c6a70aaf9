import { SecretClient } from "@azure/keyvault-secrets";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { startLocalVault } from "../../src/testing/index.js";
import { rawRequest } from "../helpers/server.js";
import { cli } from "../cli/run.js";

const DAY = 86_400_000;

describe("startLocalVault: time travel", () => {
  it("after clock.advance('2d') a secret that expired tomorrow is past its expiresOn, and its value is still served", async () => {
    await using vault = await startLocalVault();
    const expiresOn = new Date(vault.clock.now().getTime() + DAY);
    vault.seed({ secrets: { "api-key": { value: "s3cret", expiresOn } } });
    const client = new SecretClient(vault.url, vault.credential, vault.clientOptions);
    assert.ok((await client.getSecret("api-key")).properties.expiresOn! > vault.clock.now());
    vault.clock.advance("2d");
    const secret = await client.getSecret("api-key");
    assert.equal(secret.value, "s3cret", "Key Vault serves an expired secret's value");
    assert.ok(secret.properties.expiresOn! < vault.clock.now(), "expired on the vault's clock");
  });

  it("orbitra secrets list and show mark a secret expired by the vault's clock once clock.advance('2d') passes its expiresOn", async () => {
    await using vault = await startLocalVault();
    vault.seed({ secrets: { soon: { value: "x", expiresOn: new Date(vault.clock.now().getTime() + DAY) }, later: "y" } });
    const home = mkdtempSync(join(tmpdir(), "orbitra-kit-cli-"));
    const env = { ORBITRA_HOME: home, ORBITRA_KEY_VAULT_DEV: vault.url, ORBITRA_CA_FILE_DEV: vault.caFile };
    const expiredNames = async () => {
      const run = await cli(["secrets", "list", "-e", "dev", "--json"], env);
      assert.equal(run.code, 0, run.stderr);
      return (JSON.parse(run.stdout) as { name: string; expired?: boolean }[]).filter((i) => i.expired).map((i) => i.name);
    };
    try {
      assert.deepEqual(await expiredNames(), [], "nothing is expired yet");
      vault.clock.advance("2d");
      // The machine's clock says "soon" has a day to go; the vault's says it expired a day ago.
      assert.deepEqual(await expiredNames(), ["soon"]);
      const show = await cli(["secrets", "show", "soon", "-e", "dev", "--json"], env);
      assert.equal(show.code, 0, show.stderr);
      assert.equal((JSON.parse(show.stdout) as { expired?: boolean }).expired, true);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("created, updated, deletedDate and scheduledPurgeDate follow the clock", async () => {
    await using vault = await startLocalVault({ now: "2030-01-01T00:00:00Z", recoverableDays: 7 });
    const client = vault.secretsClient();
    const written = await client.writeSecret("db-password", "v1");
    assert.equal(written.createdOn.toISOString().slice(0, 10), "2030-01-01");
    vault.clock.advance("1d");
    const updated = await client.updateSecretProperties("db-password", { contentType: "text/plain" });
    assert.equal(updated.updatedOn.toISOString().slice(0, 10), "2030-01-02");
    assert.equal(updated.createdOn.toISOString().slice(0, 10), "2030-01-01");
    vault.clock.set("2030-02-01T00:00:00Z");
    const deleted = await client.deleteSecret("db-password");
    assert.equal(deleted.deletedOn.toISOString().slice(0, 10), "2030-02-01");
    assert.equal(deleted.scheduledPurgeDate.toISOString().slice(0, 10), "2030-02-08");
  });

  it("a deleted secret is purged once the retention period passes on the clock", async () => {
    await using vault = await startLocalVault({ recoverableDays: 7 });
    const client = vault.secretsClient();
    await client.writeSecret("old", "v");
    await client.deleteSecret("old");
    vault.clock.advance("6d");
    assert.equal((await client.getDeletedSecret("old")).name, "old");
    vault.clock.advance("2d");
    await assert.rejects(client.getDeletedSecret("old"), { code: "SecretNotFound" });
    assert.deepEqual(await client.listDeletedSecrets(), []);
    await client.writeSecret("old", "again"); // the name is free again
  });
});

describe("startLocalVault: faults", () => {
  it("faults.throttle makes the official SDK retry: every attempt meets a 429, and the SDK tried more than once", async () => {
    const lines: string[] = [];
    await using vault = await startLocalVault({ accessLog: (l) => lines.push(l), seed: { secrets: { a: "1" } } });
    vault.faults.throttle({ rate: 1, retryAfter: 0 });
    const client = new SecretClient(vault.url, vault.credential, { ...vault.clientOptions, retryOptions: { maxRetries: 2, retryDelayInMs: 1 } });
    await assert.rejects(client.getSecret("a"), { statusCode: 429 });
    assert.equal(lines.filter((l) => l.includes(" GET /secrets/a") && / 429 /.test(l)).length, 3, "first try + 2 retries");
    vault.faults.clear();
    assert.equal((await client.getSecret("a")).value, "1");
  });

  it("the SDK rides out throttling and gets its answer (throttleFirst over the admin path)", async () => {
    const lines: string[] = [];
    await using vault = await startLocalVault({ accessLog: (l) => lines.push(l), seed: { secrets: { a: "1" } } });
    const set = await admin(vault, "POST", "faults", { throttleFirst: 2, retryAfterSeconds: 0 });
    assert.equal(set.status, 200);
    const client = new SecretClient(vault.url, vault.credential, vault.clientOptions);
    assert.equal((await client.getSecret("a")).value, "1");
    assert.deepEqual(lines.filter((l) => l.includes("/secrets/a")).map((l) => l.split(" ")[3]), ["401", "429", "429", "200"]);
  });

  it("our getSecrets bulk read under faults.throttle slows down and ends with 0 failures", async () => {
    const lines: string[] = [];
    const secrets = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`s${i}`, `v${i}`]));
    await using vault = await startLocalVault({ accessLog: (l) => lines.push(l), seed: { secrets } });
    // Deterministic: the next ten requests refused, a third of the reads, wherever they fall.
    await admin(vault, "POST", "faults", { throttleFirst: 10, retryAfterSeconds: 0 });
    const n = lines.length;
    const values = await vault.secretsClient().getSecrets(Object.keys(secrets));
    assert.equal(values.size, 30);
    for (const [name, value] of values) assert.equal(value?.reveal(), secrets[name]);
    const after = lines.slice(n);
    assert.equal(after.filter((l) => / 429 /.test(l)).length, 10, "ten refused, all retried");
    assert.equal(after.filter((l) => / 200 /.test(l)).length, 30);
  });

  it("failNext(n, status) fails exactly the next n requests with that status", async () => {
    await using vault = await startLocalVault({ seed: { secrets: { a: "1" } } });
    const client = new SecretClient(vault.url, vault.credential, { ...vault.clientOptions, retryOptions: { maxRetries: 0 } });
    await client.getSecret("a"); // past the challenge handshake
    vault.faults.failNext(1, 500);
    await assert.rejects(client.getSecret("a"), { statusCode: 500 });
    assert.equal((await client.getSecret("a")).value, "1");
  });

  it("faults.latency shows in the admin path's state, and clear() switches everything off", async () => {
    await using vault = await startLocalVault();
    vault.faults.latency(5);
    vault.faults.throttle({ rate: 0.25, status: 503 });
    assert.deepEqual(JSON.parse((await admin(vault, "GET", "faults")).body), { latencyMs: 5, throttleRate: 0.25, throttleStatus: 503, retryAfterSeconds: 1 });
    vault.faults.clear();
    assert.deepEqual(JSON.parse((await admin(vault, "GET", "faults")).body), {});
  });
});

describe("startLocalVault: seed, reset, admin path", () => {
  it("seeds from an object (with attributes) and from a dotenv file, then reads through the official SDK", async () => {
    const folder = mkdtempSync(join(tmpdir(), "orbitra-kit-seed-"));
    try {
      const file = join(folder, "seed.env");
      writeFileSync(file, "DB_PASSWORD=hunter2\nAPI_KEY='abc def'\n");
      await using vault = await startLocalVault({ seed: file });
      vault.seed({ secrets: { tagged: { value: "t", contentType: "text/plain", tags: { team: "a" }, enabled: true } } });
      const client = new SecretClient(vault.url, vault.credential, vault.clientOptions);
      assert.equal((await client.getSecret("db-password")).value, "hunter2");
      assert.equal((await client.getSecret("api-key")).value, "abc def");
      const tagged = await client.getSecret("tagged");
      assert.deepEqual([tagged.value, tagged.properties.contentType, tagged.properties.tags], ["t", "text/plain", { team: "a" }]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("a bad seed entry writes nothing", async () => {
    await using vault = await startLocalVault();
    assert.throws(() => vault.seed({ secrets: { good: "1", "bad name!": "2" } }), { code: "InvalidName" });
    assert.deepEqual(await vault.secretsClient().listSecrets(), []);
  });

  it("reset() empties the vault, deleted secrets included, and puts faults and clock back", async () => {
    await using vault = await startLocalVault({ seed: { secrets: { a: "1", b: "2" } } });
    const client = vault.secretsClient();
    await client.deleteSecret("b");
    vault.clock.advance("10d");
    vault.faults.latency(1);
    vault.reset();
    assert.deepEqual(await client.listSecrets(), []);
    assert.deepEqual(await client.listDeletedSecrets(), []);
    assert.ok(Math.abs(vault.clock.now().getTime() - Date.now()) < DAY);
    assert.deepEqual(JSON.parse((await admin(vault, "GET", "faults")).body), {});
    await client.writeSecret("b", "again"); // no deleted 'b' in the way
  });

  it("the admin path refuses a missing or wrong token, and moves time, seeds and resets with the right one", async () => {
    await using vault = await startLocalVault();
    assert.equal((await rawRequest(vault.url, vault.ca, { method: "GET", path: "/_orbitra/time" })).status, 403);
    assert.equal((await rawRequest(vault.url, vault.ca, { method: "GET", path: "/_orbitra/time", headers: { "x-orbitra-admin-token": "nope" } })).status, 403);
    const moved = JSON.parse((await admin(vault, "POST", "time", { advance: "30d" })).body) as { now: string; offsetMs: number };
    assert.ok(moved.offsetMs >= 30 * DAY - 1000 && moved.offsetMs <= 30 * DAY + 1000);
    assert.equal((await admin(vault, "POST", "time", { advance: "soon" })).status, 400);
    assert.equal((await admin(vault, "POST", "seed", { secrets: { x: "1" } })).status, 200);
    assert.deepEqual(await vault.secretsClient().listSecrets(), ["x"]);
    assert.equal((await admin(vault, "POST", "reset")).status, 204);
    assert.deepEqual(await vault.secretsClient().listSecrets(), []);
    assert.equal((await admin(vault, "GET", "nothing")).status, 404);
    assert.equal((await admin(vault, "POST", "reset?vault=other")).status, 404, "an unknown vault is named, not ignored");
    assert.equal((await admin(vault, "GET", "time?vault=default")).status, 400, "the clock is the server's, not one vault's");
  });
});

describe("startLocalVault: files", () => {
  it("close() removes the data folder; a second close is harmless", async () => {
    const vault = await startLocalVault({ seed: { secrets: { a: "1" } } });
    assert.ok(existsSync(vault.dataDir));
    await vault.close();
    await vault.close();
    assert.equal(existsSync(vault.dataDir), false);
  });

  it("a folder left by a SIGKILLed test process is removed at the next start", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", KEEP_RUNNING], { stdio: ["ignore", "pipe", "inherit"] });
    const dataDir = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += String(chunk);
        if (out.includes("\n")) resolve(out.trim());
      });
      child.on("exit", (code) => reject(new Error(`child exited ${code}`)));
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    assert.ok(existsSync(dataDir), "SIGKILL runs no exit hook");
    await using vault = await startLocalVault();
    assert.equal(existsSync(dataDir), false);
    assert.ok(existsSync(vault.dataDir));
  });
});

const KEEP_RUNNING = `
import { startLocalVault } from ${JSON.stringify(new URL("../../src/testing/index.ts", import.meta.url).href)};
const vault = await startLocalVault();
process.stdout.write(vault.dataDir + "\\n");
setInterval(() => {}, 1000);
`;

function admin(vault: { url: string; ca: string; admin: { token: string } }, method: string, route: string, body?: unknown) {
  return rawRequest(vault.url, vault.ca, {
    method,
    path: `/_orbitra/${route}`,
    headers: { "x-orbitra-admin-token": vault.admin.token, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

describe("startLocalVault: proxy and child processes", () => {
  it("with proxy: true a child started with env reaches https://NAME.vault.azure.net with default SDK options", async () => {
    await using vault = await startLocalVault({ proxy: true, name: "kitvault", seed: { secrets: { a: "via-proxy" } } });
    assert.equal(vault.azureUrl, "https://kitvault.vault.azure.net");
    assert.equal(vault.env.AZURE_KEYVAULT_URL, vault.azureUrl);
    // In-process, the direct URL still works (the SDK drops tlsOptions behind a proxy, so in-process clients use `url`).
    assert.equal((await new SecretClient(vault.url, vault.credential, vault.clientOptions).getSecret("a")).value, "via-proxy");
    const script = `
      import { SecretClient } from "@azure/keyvault-secrets";
      import { DefaultAzureCredential } from "@azure/identity";
      const secret = await new SecretClient(process.env.AZURE_KEYVAULT_URL, new DefaultAzureCredential()).getSecret("a");
      process.stdout.write(String(secret.value === "via-proxy"));
    `;
    assert.equal(await runChild(script, vault.env), "true");
  });

  it("a child process gets what it needs from env alone: the CA, the vault URL and the admin routes", async () => {
    await using vault = await startLocalVault({ seed: { secrets: { a: "from-child" } } });
    const script = `
      const base = process.env.AZURE_KEYVAULT_URL;
      const admin = process.env.ORBITRA_ADMIN_URL;
      const headers = { "x-orbitra-admin-token": process.env.ORBITRA_ADMIN_TOKEN, "content-type": "application/json" };
      await fetch(admin + "time", { method: "POST", headers, body: JSON.stringify({ advance: "1d" }) });
      const secret = await (await fetch(base + "/secrets/a?api-version=7.5", { headers: { authorization: "Bearer any" } })).json();
      process.stdout.write(JSON.stringify({ value: secret.value === "from-child", created: secret.attributes.created }));
    `;
    const seen = JSON.parse(await runChild(script, vault.env)) as { value: boolean; created: number };
    assert.equal(seen.value, true);
    assert.ok(vault.clock.now().getTime() - Date.now() > 86_000_000, "the child moved the vault's clock");
  });
});

/** Runs an ES module script in a child with only PATH and `env`, from the repository root (so the SDK resolves); returns its stdout. */
async function runChild(script: string, env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    cwd: new URL("../..", import.meta.url),
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += String(chunk)));
  assert.equal(await new Promise((resolve) => child.on("exit", resolve)), 0, "the child exits 0");
  return out;
}
