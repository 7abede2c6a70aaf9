import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { newestMtime } from "./mtimes.js";

const root = join(import.meta.dirname, "..", "..");

/** What the build reads: a change to any of these after dist/ was built makes dist/ stale. */
const BUILD_INPUTS = ["src", "scripts", "package.json", "tsconfig.build.json"];

/**
 * Refuses a dist/ that is missing or older than the sources, so that tests of the shipped bin
 * never pass (or fail) on yesterday's build. Comparing times, not rebuilding: a rebuild here would
 * rewrite dist/ under the other test files that run it at the same time, and CI has just built it.
 */
export function assertFreshDist(): void {
  const bin = join(root, "dist", "bin", "orbitra-full.cjs");
  if (!existsSync(bin)) throw new Error("dist/ is not built: run `npm run build` before these tests (npm ci does it).");
  const built = statSync(bin).mtimeMs;
  const changed = Math.max(...BUILD_INPUTS.map((p) => newestMtime(join(root, p))));
  if (changed > built) {
    throw new Error(`dist/ is older than the sources (built ${new Date(built).toISOString()}, changed ${new Date(changed).toISOString()}): run \`npm run build\`.`);
  }
}

export interface InstalledBin {
  /** The folder whose bin/ holds `orbitra`, as `npm install -g --prefix` lays it out. */
  prefix: string;
  /** PATH with the installed `orbitra` and this test's own node first. */
  path: string;
  remove(): void;
}

/**
 * The package as npm ships it: `npm pack` (only the files package.json lists), unpacked to
 * PREFIX/lib/node_modules/orbitra, its bin linked as PREFIX/bin/orbitra and made executable as npm
 * does. The dependencies are the checkout's own node_modules, linked in: installing them from the
 * registry would compile better-sqlite3 again for minutes.
 */
export function installPackedBin(): InstalledBin {
  assertFreshDist();
  const prefix = mkdtempSync(join(tmpdir(), "orbitra-installed-"));
  const pack = spawnSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", prefix], { cwd: root, encoding: "utf8" });
  if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  const tarball = join(prefix, pack.stdout.trim().split("\n").pop()!);
  const pkg = join(prefix, "lib", "node_modules", "orbitra");
  mkdirSync(pkg, { recursive: true });
  const untar = spawnSync("tar", ["xzf", tarball, "-C", pkg, "--strip-components=1"], { encoding: "utf8" });
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
  rmSync(tarball);
  symlinkSync(join(root, "node_modules"), join(pkg, "node_modules"), "dir");
  mkdirSync(join(prefix, "bin"));
  const target = join(pkg, "dist", "bin", "orbitra.cjs");
  chmodSync(target, 0o755);
  symlinkSync(join("..", "lib", "node_modules", "orbitra", "dist", "bin", "orbitra.cjs"), join(prefix, "bin", "orbitra"));
  return {
    prefix,
    path: [join(prefix, "bin"), dirname(process.execPath), "/usr/bin", "/bin"].join(":"),
    remove: () => rmSync(prefix, { recursive: true, force: true }),
  };
}

export interface RunOptions {
  input?: string;
  cwd?: string;
}

/** Runs `orbitra ARGS` by name through PATH, as a shell would: the shebang line included. */
export function runOrbitra(env: NodeJS.ProcessEnv, args: string[], options: RunOptions = {}): SpawnSyncReturns<string> {
  return spawnSync("orbitra", args, { env, input: options.input ?? "", encoding: "utf8", ...(options.cwd ? { cwd: options.cwd } : {}) });
}

export interface ServedByBin {
  url: string;
  caFile: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `orbitra vault serve --port 0 --json ARGS` as a child process, resolved at its ready line. */
export function serveWithBin(env: NodeJS.ProcessEnv, args: string[]): Promise<ServedByBin> {
  const child = spawn("orbitra", ["vault", "serve", "--port", "0", "--json", "--quiet", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += String(chunk)));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`vault serve exited ${code} before it was ready: ${stderr}`)));
    createInterface({ input: child.stdout! }).once("line", (line) => {
      const ready = JSON.parse(line) as { vaults: { url: string }[]; caFile: string };
      child.removeAllListeners("exit");
      const exited = new Promise<void>((done) => child.once("exit", () => done()));
      resolve({
        url: ready.vaults[0]!.url,
        caFile: ready.caFile,
        child,
        stop: async () => {
          if (child.exitCode === null) child.kill("SIGTERM");
          await exited;
        },
      });
    });
  });
}
