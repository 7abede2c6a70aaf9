// Where store-scale.ts keeps its fixture vaults, and fresh copies of them for the benches that
// measure on them: what a run writes must not grow the next run's vault.
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";

export const FIXTURES = process.env.FIXTURES ?? "/tmp/orbitra-scale";
export const RUN = process.env.RUN ?? join(FIXTURES, "run");

/** Replaces `to` with a copy of the vault (its file and key) in `from`; returns the copy's vault path. */
export function copyVault(from: string, to: string): string {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  for (const file of ["vault.db", "vault.key"]) copyFileSync(join(from, file), join(to, file));
  return join(to, "vault.db");
}
