import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { startLocalVault } from "orbitra/testing";
import { databaseUrl } from "../../src/config.js";

// Two recipes in one file: (1) the run-wide vault from globalSetup, read only; (2) a per-file
// fixture for tests that move the clock or inject faults, which would disturb other files.
const shared = inject("vault");
// The server is in open mode: any bearer token will do.
const credential = { getToken: async () => ({ token: "any", expiresOnTimestamp: Date.now() + 3_600_000 }) };

it("reads from the run-wide vault (globalSetup)", async () => {
  const url = await databaseUrl({ vaultUrl: shared.url, credential, clientOptions: { tlsOptions: { ca: shared.ca }, disableChallengeResourceVerification: true } });
  expect(url).toContain(":shared@");
});

let own;
beforeAll(async () => {
  own = await startLocalVault({ seed: { secrets: { "db-password": { value: "x", expiresOn: new Date(Date.now() + 86_400_000) } } } });
});
afterAll(() => own.close());

it("a per-file vault: time travel without touching the shared one", async () => {
  const options = { vaultUrl: own.url, credential: own.credential, clientOptions: own.clientOptions, now: () => own.clock.now() };
  await expect(databaseUrl(options)).resolves.toContain(":x@");
  own.clock.advance("2d");
  await expect(databaseUrl(options)).rejects.toThrow(/expired/);
});
