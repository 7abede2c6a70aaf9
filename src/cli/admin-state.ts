import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomically } from "../core/atomic-file.js";
import { ConfigurationError } from "../core/errors.js";
import { isProcessAlive } from "../core/process-alive.js";

/** What `vault serve` leaves in its data folder for `vault time` and `vault faults`: where its admin routes are and their token. */
export interface AdminState {
  pid: number;
  /** The first vault's URL; the admin routes are under `/_orbitra/` on it. */
  url: string;
  caFile: string;
  token: string;
}

const FILE = "admin.json";

/** 0600: the token moves the vault's clock and empties it. */
export function writeAdminState(dataDir: string, state: AdminState): () => void {
  const file = join(dataDir, FILE);
  writeFileAtomically(file, JSON.stringify(state) + "\n", 0o600);
  return () => rmSync(file, { force: true });
}

/** The admin routes of the `vault serve` running on `dataDir`; a file left by a dead server counts as none. */
export function readAdminState(dataDir: string): AdminState {
  let state: Partial<AdminState> | undefined;
  try {
    state = JSON.parse(readFileSync(join(dataDir, FILE), "utf8")) as Partial<AdminState>;
  } catch {
    state = undefined;
  }
  if (!state || typeof state.token !== "string" || typeof state.url !== "string" || typeof state.caFile !== "string" || !isProcessAlive(state.pid ?? 0)) {
    throw new ConfigurationError(`No 'orbitra vault serve' is running on ${dataDir}: start one (same --data), then run this again.`);
  }
  return state as AdminState;
}
