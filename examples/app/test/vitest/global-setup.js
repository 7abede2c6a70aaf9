import { startLocalVault } from "orbitra/testing";

let vault;

/**
 * vitest globalSetup: one vault for the whole run, seeded once with read-only fixtures. Test files
 * run in parallel workers and reach it through `inject("vault")`; a file that writes, moves the
 * clock or injects faults starts its own vault instead (see config.test.js), so files never collide.
 */
export async function setup({ provide }) {
  vault = await startLocalVault({ seed: { secrets: { "db-password": "shared" } } });
  provide("vault", { url: vault.url, ca: vault.ca });
}

export async function teardown() {
  await vault?.close();
}
