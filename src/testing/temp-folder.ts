import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { isProcessAlive } from "../core/process-alive.js";

/** Every folder the kit makes is `<tmp>/orbitra-testing-XXXXXX`, with this marker file inside. */
export const TEMP_PREFIX = "orbitra-testing-";
export const MARKER_FILE = "orbitra-testing.json";
const MARKER = "orbitra-testing";

interface Marker {
  marker: typeof MARKER;
  pid: number;
  host: string;
}

/** Folders of this process still to remove: by close(), or at exit when a failing test never closed them. */
const live = new Set<string>();
let exitHook = false;

/**
 * A fresh data folder, marked with our pid, removed at process exit if close() never ran. A
 * SIGKILLed process runs no exit hook: the next start removes folders whose process is gone.
 */
export function makeTempFolder(root = tmpdir()): string {
  removeStaleFolders(root);
  const path = mkdtempSync(join(root, TEMP_PREFIX));
  const marker: Marker = { marker: MARKER, pid: process.pid, host: hostname() };
  writeFileSync(join(path, MARKER_FILE), JSON.stringify(marker) + "\n", { mode: 0o600 });
  live.add(path);
  if (!exitHook) {
    exitHook = true;
    // 'exit' allows synchronous work only, which rmSync is. Open SQLite files may be unlinked on POSIX.
    process.on("exit", () => {
      for (const folder of live) rmSync(folder, { recursive: true, force: true });
    });
  }
  return path;
}

export function removeTempFolder(path: string): void {
  live.delete(path);
  rmSync(path, { recursive: true, force: true });
}

/**
 * Removes kit folders left by processes that died: marker present, same host, pid not alive.
 * Folders without a readable marker are not ours to judge and stay; so do another host's (a
 * shared /tmp over NFS) and a live process's.
 */
export function removeStaleFolders(root = tmpdir()): string[] {
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(root).filter((name) => name.startsWith(TEMP_PREFIX));
  } catch {
    return removed;
  }
  for (const name of entries) {
    const path = join(root, name);
    let marker: Partial<Marker>;
    try {
      marker = JSON.parse(readFileSync(join(path, MARKER_FILE), "utf8")) as Partial<Marker>;
    } catch {
      continue;
    }
    if (marker.marker !== MARKER || marker.host !== hostname() || typeof marker.pid !== "number") continue;
    if (marker.pid === process.pid || isProcessAlive(marker.pid)) continue;
    rmSync(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}
