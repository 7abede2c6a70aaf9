// node:test: one vault per file, reset between tests.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import { startLocalVault } from "orbitra/testing";
import { databaseUrl } from "../../src/config.js";

let vault;
before(async () => {
  vault = await startLocalVault();
});
after(() => vault.close());
beforeEach(() => vault.reset());

const options = () => ({ vaultUrl: vault.url, credential: vault.credential, clientOptions: vault.clientOptions, now: () => vault.clock.now() });

test("builds the URL from the seeded password", async () => {
  vault.seed({ secrets: { "db-password": "p@ss" } });
  assert.equal(await databaseUrl(options()), "postgres://app:p%40ss@db.internal/app");
});

test("refuses the password once the clock passes its expiry", async () => {
  vault.seed({ secrets: { "db-password": { value: "old", expiresOn: new Date(vault.clock.now().getTime() + 86_400_000) } } });
  await databaseUrl(options());
  vault.clock.advance("2d");
  await assert.rejects(databaseUrl(options()), /expired/);
});

test("rides out throttling (the SDK retries)", async () => {
  vault.seed({ secrets: { "db-password": "p" } });
  vault.faults.failNext(1, 503);
  assert.match(await databaseUrl(options()), /^postgres:/);
});
