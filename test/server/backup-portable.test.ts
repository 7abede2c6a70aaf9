import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { SecretClient } from "@azure/keyvault-secrets";
import { getSecretsClient } from "../../src/client/get-secrets-client.js";
import { rawRequest, sdkClientOptions, startTestServer, testCredential, type TestServer } from "../helpers/server.js";

/**
 * A backup is sealed for the installation (its backup key), not for one vault file's key: it
 * restores into another local vault with its own vault key (the README's `restore -e staging`),
 * and into a served vault of the same installation. A damaged blob is Key Vault's 400.
 */
describe("backups move between an installation's vaults", () => {
  let home: string;
  let server: TestServer;
  const env = () => ({ ORBITRA_HOME: home });

  before(async () => {
    home = mkdtempSync(join(tmpdir(), "orbitra-home-"));
    server = await startTestServer({ backupKeyFile: join(home, "backup.key") });
  });
  after(async () => {
    await server?.close();
    rmSync(home, { recursive: true, force: true });
  });

  test("local vault -> another local vault with a different vault key -> a served vault", async () => {
    const dev = getSecretsClient({ keyVault: `local:${join(home, "dev", "vault.db")}`, env: env(), cwd: home });
    const staging = getSecretsClient({ keyVault: `local:${join(home, "staging", "vault.db")}`, env: env(), cwd: home });
    await dev.writeSecret("db-password", "s3cret", { tags: { owner: "ops" } });
    const blob = await dev.backupSecret("db-password");
    const restored = await staging.restoreSecretBackup(blob);
    assert.equal(restored.name, "db-password");
    assert.equal((await staging.getSecret("db-password"))?.reveal(), "s3cret");

    const sdk = new SecretClient(server.url, testCredential, sdkClientOptions(server.ca));
    const served = await sdk.restoreSecretBackup(blob);
    assert.equal(served.name, "db-password");
    assert.equal((await sdk.getSecret("db-password")).value, "s3cret");
    const back = await sdk.backupSecret("db-password");
    await sdk.beginDeleteSecret("db-password").then((p) => p.pollUntilDone());
    await dev.deleteSecret("db-password");
    await dev.purgeDeletedSecret("db-password");
    assert.equal((await dev.restoreSecretBackup(back!)).name, "db-password", "and back from the server into a local vault");
  });

  test("a tampered blob gets Key Vault's 400 Malformed backup blob", async () => {
    const dev = getSecretsClient({ keyVault: `local:${join(home, "dev2", "vault.db")}`, env: env(), cwd: home });
    await dev.writeSecret("t", "v");
    const blob = Buffer.from(await dev.backupSecret("t"));
    blob[blob.length - 3]! ^= 0x10;
    const res = await rawRequest(server.url, server.ca, {
      method: "POST",
      path: "/secrets/restore?api-version=7.5",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: JSON.stringify({ value: blob.toString("base64url") }),
    });
    assert.equal(res.status, 400);
    assert.deepEqual(JSON.parse(res.body), { error: { code: "Malformed backup blob", message: "Backup blob contains invalid or corrupt version." } });
  });
});
