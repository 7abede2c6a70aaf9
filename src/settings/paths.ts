import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

// Only node:os and node:path here, on purpose: start-up code (the bin's loader, for its code cache)
// imports orbitraHome without loading the settings stack.

/** `ORBITRA_HOME`, or `~/.orbitra`: user settings, the `local` vault, login caches, the server's data. */
export function orbitraHome(env: NodeJS.ProcessEnv): string {
  const fromEnv = env.ORBITRA_HOME;
  return fromEnv ? resolve(expandHome(fromEnv)) : join(homedir(), ".orbitra");
}

/** Where the built-in `local` environment keeps its store. */
export function localVaultPath(env: NodeJS.ProcessEnv): string {
  return join(orbitraHome(env), "local", "vault.db");
}

/** The key every vault of this installation seals backups with (unless ORBITRA_BACKUP_KEY is set). */
export function backupKeyPath(env: NodeJS.ProcessEnv): string {
  return join(orbitraHome(env), "backup.key");
}

export function expandHome(path: string): string {
  if (path === "~") return homedir();
  if (path.startsWith("~/")) return join(homedir(), path.slice(2));
  return path;
}

/** A path from a settings file is relative to that file's folder, not to the working directory. */
export function resolveFrom(baseDir: string, path: string): string {
  const expanded = expandHome(path);
  return isAbsolute(expanded) ? expanded : resolve(baseDir, expanded);
}
