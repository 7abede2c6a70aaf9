/**
 * `orbitra/testing`: a local Key Vault inside a test run, with time travel, faults, seeding and
 * reset. A second package entry, so that `orbitra` itself loads none of the server.
 */
export { startLocalVault } from "./start-local-vault.js";
export type { StartLocalVaultOptions, RunningLocalVault, LocalVaultClock, LocalVaultFaults, ThrottleOptions } from "./start-local-vault.js";
export type { SeedSpec, SeedSecret, SeedDate } from "../server/seed.js";
export { removeStaleFolders } from "./temp-folder.js";
