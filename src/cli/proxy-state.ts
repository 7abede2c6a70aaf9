import { readFileSync, rmSync } from "node:fs";
import { isProcessAlive } from "../core/process-alive.js";
import { join } from "node:path";
import { writeFileAtomically } from "../core/atomic-file.js";
import { ConfigurationError } from "../core/errors.js";

/** What `vault serve --proxy` leaves in its data folder for `vault env` and `vault exec`. */
export interface ProxyState {
  pid: number;
  proxy: string;
  vaults: { name: string; url: string; azureUrl?: string }[];
  env: Record<string, string>;
}

const FILE = "proxy-env.json";

/** 0600: in open mode the environment holds a client secret (one any client could have, but still). */
export function writeProxyState(dataDir: string, state: ProxyState): () => void {
  const file = join(dataDir, FILE);
  writeFileAtomically(file, JSON.stringify(state) + "\n", 0o600);
  return () => rmSync(file, { force: true });
}

/**
 * The environment of the `vault serve --proxy` running on `dataDir`. A file left by a server that
 * died (its pid gone) counts as none, so a stale proxy port is never handed out.
 */
export function readProxyState(dataDir: string): ProxyState {
  const file = join(dataDir, FILE);
  const none = () =>
    new ConfigurationError(`No 'orbitra vault serve --proxy' is running on ${dataDir}: start one (same --data), then run this again.`);
  let state: ProxyState;
  try {
    state = JSON.parse(readFileSync(file, "utf8")) as ProxyState;
  } catch {
    throw none();
  }
  if (!Number.isInteger(state.pid) || typeof state.env !== "object" || state.env === null || !isProcessAlive(state.pid)) throw none();
  return state;
}

