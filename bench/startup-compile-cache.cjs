/* eslint-disable @typescript-eslint/no-require-imports, no-undef */
// The alternative bench/startup.ts weighs against our own V8 code cache: the same `secrets get`
// bundle, run with Node's built-in compile cache (module.enableCompileCache, Node 22+) instead of
// src/cli/startup-code-cache.ts. Kept in $ORBITRA_HOME/cache/node-compile.
const { enableCompileCache } = require("node:module");
const { join } = require("node:path");
enableCompileCache(join(process.env.ORBITRA_HOME, "cache", "node-compile"));
require(join(__dirname, "..", "dist", "bin", "orbitra-get.cjs"));
