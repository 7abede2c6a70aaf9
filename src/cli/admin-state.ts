import { serverStateFile } from "./server-state.js";

/** What `vault serve` leaves in its data folder for `vault time` and `vault faults`: where its admin routes are and their token. */
export interface AdminState {
  pid: number;
  /** The first vault's URL; the admin routes are under `/_orbitra/` on it. */
  url: string;
  caFile: string;
  token: string;
}

// 0600 (as every server state file): the token moves the vault's clock and empties it.
const admin = serverStateFile<AdminState>(
  "admin.json",
  (s) => typeof s.token === "string" && typeof s.url === "string" && typeof s.caFile === "string",
  "'orbitra vault serve'",
);

export const writeAdminState = admin.write;
/** The admin routes of the `vault serve` running on `dataDir`. */
export const readAdminState = admin.read;
