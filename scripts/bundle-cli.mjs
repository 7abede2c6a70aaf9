// Bundles the CLI into one CommonJS file, dist/bin/orbitra.cjs. Start-up time was dominated by
// module loading, not by our code: ~40 ESM modules, commander's CJS through the ESM-to-CJS
// bridge, and the ESM loader itself. A single CJS file avoids all three. Heavy or native
// packages stay external and are still loaded only where the code asks for them.
import { build } from "esbuild";

await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/bin/orbitra.cjs",
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  external: ["better-sqlite3", "@azure/*", "hono", "hono/*", "@peculiar/*", "autocannon"],
  // The sources are ESM and use import.meta.url to find files beside them; in CJS that is __filename.
  define: { "import.meta.url": "__orbitraModuleUrl" },
  banner: { js: "const __orbitraModuleUrl = require(\"node:url\").pathToFileURL(__filename).href;" },
  logLevel: "warning",
});

