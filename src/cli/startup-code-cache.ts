import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { Script } from "node:vm";
import { orbitraHome } from "../settings/paths.js";

/**
 * Runs a CommonJS bundle the way `require` would, but compiled with a V8 code cache: most of a
 * CLI start that Node itself does not spend goes to compiling our bundle (~10 ms of ~20 on the
 * dev box), and V8 can skip that when handed the code it compiled last time. Node 22 has this
 * built in (module.enableCompileCache); Node 20 does not, hence this.
 *
 * The cache lives in `$ORBITRA_HOME/cache/v8/` (the install folder may be read-only), keyed by
 * the bundle's path, size and mtime and by Node's version and arch: a new build or a new Node
 * makes a new key. V8 checks the data itself too and rejects what does not match its version
 * and flags; a missing, stale, damaged or rejected cache only means compiling as usual, and a
 * fresh cache is written when the process exits (atomically: concurrent runs cannot corrupt it).
 * It holds compiled code, never data.
 *
 * A script compiled from cachedData gets no dynamic-import callback on Node 20 (nodejs/node#43663;
 * `importModuleDynamically` is lost with the cache), so the bundles contain no `import()`:
 * scripts/bundle-cli.mjs turns each into `require()` and refuses a bundle that still has one.
 *
 * `load` is the bundle's `require`: the loader's own, which resolves from the same folder as a
 * createRequire(file) would (the bundles sit beside the loader) without loading node:module.
 */
export function runBundle(file: string, load: NodeRequire, env: NodeJS.ProcessEnv = process.env): void {
  const source = readFileSync(file, "utf8").replace(/^#!.*/, "");
  const cacheFile = cacheFileFor(file, env);
  let cachedData: Buffer | undefined;
  try {
    cachedData = cacheFile ? readFileSync(cacheFile) : undefined;
  } catch {
    // first run, or no cache folder: compile as usual
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    // At exit, so that the functions this run compiled lazily are in the cache too.
    process.once("exit", () => writeCache(cacheFile, script));
  }
  const module = { exports: {}, filename: file, id: file, loaded: false };
  const run = script.runInThisContext() as (e: unknown, r: NodeRequire, m: unknown, f: string, d: string) => void;
  run(module.exports, load, module, file, dirname(file));
}

/**
 * 64-bit FNV-1a of the key, as 16 hex digits. Not node:crypto: the first digest costs ~2-4 M
 * instructions of OpenSSL set-up that `secrets get` needs nowhere else (its AES-GCM is a
 * cipher, set up apart), and the key only has to tell builds apart, not resist anyone: who can
 * write this cache folder can write code into it anyway.
 */
export function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) hash = ((hash ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, "0");
}

function cacheFileFor(file: string, env: NodeJS.ProcessEnv): string | undefined {
  try {
    const { size, mtimeMs } = statSync(file);
    const key = fnv1a64(`${resolve(file)}\0${size}\0${mtimeMs}\0${process.version}\0${process.arch}`);
    const home = orbitraHome(env);
    return join(home, "cache", "v8", `${basename(file, ".cjs")}-${key}.cache`);
  } catch {
    return undefined;
  }
}

function writeCache(cacheFile: string, script: Script): void {
  try {
    mkdirSync(dirname(cacheFile), { recursive: true, mode: 0o700 });
    const temp = `${cacheFile}.${process.pid}.tmp`;
    // 0600 like every other file under ORBITRA_HOME: compiled code holds the bundle's string
    // literals, and a folder's mode is no guarantee once someone loosens it.
    writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
    renameSync(temp, cacheFile);
    // Caches of this bundle's earlier builds (or Node versions) will never match again.
    const dir = dirname(cacheFile);
    const prefix = basename(cacheFile).replace(/[0-9a-f]+\.cache$/, "");
    for (const name of readdirSync(dir)) {
      if (name.startsWith(prefix) && name.endsWith(".cache") && name !== basename(cacheFile)) rmSync(join(dir, name), { force: true });
    }
  } catch {
    // A cache we cannot write is a cache we do without.
  }
}
