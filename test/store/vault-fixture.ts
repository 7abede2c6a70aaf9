// Shared set-up for the store tests: a fresh temp folder per test, a hand-driven clock, and a
// raw look at the file (row counts) that does not go through LocalVault.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync as Database } from "node:sqlite";
import { LocalVault, type OpenVaultOptions } from "../../src/store/local-vault.js";

export const START = Date.UTC(2026, 0, 1);
export const START_SECONDS = START / 1000;

export class VaultFixture {
  readonly dir = mkdtempSync(join(tmpdir(), "orbitra-store-"));
  readonly path = join(this.dir, "vault.db");
  now = START;
  vault: LocalVault;

  constructor(extra: Partial<OpenVaultOptions> = {}) {
    this.vault = this.open(extra);
  }

  open(extra: Partial<OpenVaultOptions> = {}): LocalVault {
    return LocalVault.open({ path: this.path, clock: () => this.now, env: {}, ...extra });
  }

  reopen(extra: Partial<OpenVaultOptions> = {}): LocalVault {
    this.vault.close();
    this.vault = this.open(extra);
    return this.vault;
  }

  advanceSeconds(seconds: number): void {
    this.now += seconds * 1000;
  }

  /** Row counts read straight from the file, bypassing the store. */
  counts(): { secrets: number; versions: number } {
    const db = new Database(this.path, { readOnly: true });
    try {
      const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      return { secrets: count("secrets"), versions: count("versions") };
    } finally {
      db.close();
    }
  }

  dispose(): void {
    this.vault.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
