import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { startLocalVault } from "orbitra/testing";
import { databaseUrl } from "../../src/config.js";

// Two recipes in one file. (1) The run-wide vault from globalSetup, seeded over the admin path
// with names of this file only (parallel files share it). (2) A per-file fixture for tests that
// move the clock or inject faults, which would disturb other files.
const shared = inject("vault");
const credential = { getToken: async () => ({ token: "any", expiresOnTimestamp: Date.now() + 3_600_000 }) };

it("reads from the run-wide vault (globalSetup)", async () => {
  const reply = await fetchAdmin("seed", { secrets: { "db-password": "shared" } });
  expect(reply).toBe(200);
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

// Node's fetch does not take a CA per request; the admin call goes through node:https instead.
async function fetchAdmin(route, body) {
  const { request } = await import("node:https");
  return new Promise((resolve, reject) => {
    const req = request(`${shared.adminUrl}${route}`, { method: "POST", ca: shared.ca, headers: { "x-orbitra-admin-token": shared.adminToken, "content-type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}
