import { startLocalVault } from "orbitra/testing";

let vault;

/** vitest globalSetup: one vault per run; workers get its URL, CA and admin token via `inject`. */
export async function setup({ provide }) {
  vault = await startLocalVault();
  provide("vault", { url: vault.url, ca: vault.ca, adminUrl: vault.admin.url, adminToken: vault.admin.token });
}

export async function teardown() {
  await vault?.close();
}
