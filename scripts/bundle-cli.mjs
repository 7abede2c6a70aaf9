// Bundles the CLI into CommonJS files in dist/bin. Start-up time was dominated by module loading
// and compiling, not by our code: ~40 ESM modules, commander's CJS through the ESM-to-CJS bridge,
// the ESM loader itself, and then compiling ~450 KB of bundle for a `secrets get` that runs a
// tenth of it. So:
//   orbitra.cjs       the bin: a tiny loader that picks one of the two below and runs it with a
//                     V8 code cache (src/cli/startup-loader.ts, startup-code-cache.ts)
//   orbitra-get.cjs   `secrets get` alone (src/cli/startup-get.ts)
//   orbitra-full.cjs  the whole CLI (src/cli/main.ts)
// better-sqlite3's JavaScript is bundled in (its compiled addon is loaded from node_modules by
// path), so it compiles from the same cache; heavy or optional packages stay external and are
// loaded only where the code asks for them.
import { build } from "esbuild";

const common = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node22",
  external: ["@azure/*", "hono", "hono/*", "@peculiar/*", "autocannon"],
  // The sources are ESM and use import.meta.url to find files beside them; in CJS that is __filename.
  define: { "import.meta.url": "__orbitraModuleUrl" },
  banner: { js: "const __orbitraModuleUrl = require(\"node:url\").pathToFileURL(__filename).href;" },
  logLevel: "warning",
};

await Promise.all([
  build({ ...common, entryPoints: ["src/cli/startup-loader.ts"], outfile: "dist/bin/orbitra.cjs", banner: { js: "#!/usr/bin/env node" }, define: {} }),
  build({ ...common, entryPoints: ["src/cli/startup-get.ts"], outfile: "dist/bin/orbitra-get.cjs" }),
  build({ ...common, entryPoints: ["src/cli/main.ts"], outfile: "dist/bin/orbitra-full.cjs" }),
]);
