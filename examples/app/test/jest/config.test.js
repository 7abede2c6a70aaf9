// jest: one vault per test file, so parallel workers never share one (each worker runs its own files).
import { afterAll, beforeAll, beforeEach, expect, test } from "@jest/globals";
import { startLocalVault } from "orbitra/testing";
import { databaseUrl } from "../../src/config.js";

let vault;
beforeAll(async () => {
  vault = await startLocalVault();
});
afterAll(() => vault.close());
beforeEach(() => vault.reset());

const options = () => ({ vaultUrl: vault.url, credential: vault.credential, clientOptions: vault.clientOptions, now: () => vault.clock.now() });

test("seeded password", async () => {
  vault.seed({ secrets: { "db-password": "j" } });
  await expect(databaseUrl(options())).resolves.toBe("postgres://app:j@db.internal/app");
});

test("expired after the clock moves", async () => {
  vault.seed({ secrets: { "db-password": { value: "j", expiresOn: new Date(vault.clock.now().getTime() + 3_600_000) } } });
  vault.clock.advance("2h");
  await expect(databaseUrl(options())).rejects.toThrow(/expired/);
});
