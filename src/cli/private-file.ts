import { closeSync, fchmodSync, openSync, readFileSync, writeSync } from "node:fs";
import { InvalidValueError } from "../core/errors.js";
import { UsageError } from "./usage-error.js";

/**
 * Writes a file that holds secret material: created 0600, never over an existing file unless
 * `force`, and an overwritten file is made 0600 too (open's mode applies only to new files).
 */
export function writePrivateFile(path: string, data: string | Uint8Array, force: boolean): void {
  let fd: number;
  try {
    fd = openSync(path, force ? "w" : "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new UsageError(`${path} exists; pass --force to overwrite it.`);
    throw new InvalidValueError(`Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  try {
    if (force) fchmodSync(fd, 0o600);
    if (typeof data === "string") writeSync(fd, data);
    else writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

/** Reads a file the user named, with a one-line error that names it. */
export function readUserFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw cannotRead(path, error);
  }
}

const WHY: Record<string, string> = { ENOENT: "no such file", EACCES: "permission denied", EISDIR: "it is a folder", ENOTDIR: "a part of the path is not a folder" };

/** "Cannot read PATH: no such file." in words for the usual errno codes, the code otherwise. */
export function cannotRead(path: string, error: unknown): InvalidValueError {
  const code = (error as NodeJS.ErrnoException).code;
  return new InvalidValueError(`Cannot read ${path}: ${(code && WHY[code]) ?? code ?? "error"}.`);
}
