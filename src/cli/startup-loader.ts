import { join } from "node:path";
import { parseFastGet } from "./fast-path.js";
import { runBundle } from "./startup-code-cache.js";

/**
 * The shipped bin (dist/bin/orbitra.cjs): picks the smallest bundle that can run argv, the
 * `secrets get` bundle for its usual spellings and the whole CLI otherwise, and runs it with a V8
 * code cache (startup-code-cache.ts). Both bundles sit beside this one.
 */
declare const __dirname: string;
declare const require: NodeRequire;
const bundle = parseFastGet(process.argv.slice(2)) ? "orbitra-get.cjs" : "orbitra-full.cjs";
runBundle(join(__dirname, bundle), require);
