import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A temp folder for files that openssl reads and writes, removed by `close`. */
export interface OpensslDir {
  path(name: string): string;
  write(name: string, content: string | Uint8Array): string;
  read(name: string): Buffer;
  /** Runs openssl with these arguments (never a secret value: passwords go as `pass:` of test-only strings); returns stdout. */
  run(...args: string[]): string;
  close(): void;
}

export function opensslDir(): OpensslDir {
  const dir = mkdtempSync(join(tmpdir(), "orbitra-x509-"));
  const path = (name: string) => join(dir, name);
  return {
    path,
    write(name, content) {
      writeFileSync(path(name), content);
      return path(name);
    },
    read: (name) => readFileSync(path(name)),
    run: (...args) => execFileSync("openssl", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
