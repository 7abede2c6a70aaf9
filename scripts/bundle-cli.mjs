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
//
// No `import()` survives in a bundle: esbuild turns each into a `require()` (every external
// package ships CommonJS). A bundle runs through vm.Script with a code cache, and a script
// compiled from cachedData has no dynamic-import callback on Node 20 (nodejs/node#43663): every
// command reaching an `import()` failed from its second run on. `require` needs no callback on
// any Node, whether the cache is ours or module.enableCompileCache's, and loads one copy (the CJS
// one) of each @azure package instead of mixing their ESM and CJS builds. The check below keeps it
// that way.
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { build } from "esbuild";

const common = {
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node22",
  supported: { "dynamic-import": false },
  external: ["@azure/*", "hono", "hono/*", "@peculiar/*", "node-forge", "autocannon"],
  // The sources are ESM and use import.meta.url to find files beside them; in CJS that is __filename.
  define: { "import.meta.url": "__orbitraModuleUrl" },
  banner: { js: "const __orbitraModuleUrl = require(\"node:url\").pathToFileURL(__filename).href;" },
  logLevel: "warning",
};

// `secrets get` never reaches keys or certificates, yet their repositories and backends are
// imported by the vault and the target opener (which make them on first use): left in, they
// brought src/crypto, src/x509, node-forge and @noble/curves into the get bundle, 1 MB of it, with
// module init that requires node:crypto and builds curve tables. In the get bundle each of these
// modules is a stub whose class throws InternalError if anything ever reaches it.
const NOT_IN_GET = {
  "src/store/keys/repository.ts": ["KeyRepository"],
  "src/store/certificates/repository.ts": ["CertificateRepository"],
  "src/backends/keys-local-backend.ts": ["LocalKeysBackend"],
  "src/backends/certificates-local-backend.ts": ["LocalCertificatesBackend"],
  "src/backends/keys-keyvault-backend.ts": ["KeyVaultKeysBackend"],
  "src/backends/certificates-keyvault-backend.ts": ["KeyVaultCertificatesBackend"],
};
const stubbed = new Map(Object.keys(NOT_IN_GET).map((file) => [resolve(file), file]));
const errors = resolve("src/core/errors.ts");
const getBundleStubs = {
  name: "get-bundle-stubs",
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const path = resolve(args.resolveDir, args.path).replace(/\.js$/, ".ts");
      return stubbed.has(path) ? { path: stubbed.get(path), namespace: "get-stub" } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: "get-stub" }, (args) => {
      const absent = `${args.path} is not in the secrets get bundle (scripts/bundle-cli.mjs); this command should have run the full CLI.`;
      return {
        contents:
          `import { InternalError } from ${JSON.stringify(errors)};\n` +
          `function absent() { throw new InternalError(${JSON.stringify(absent)}); }\n` +
          NOT_IN_GET[args.path].map((name) => `export class ${name} { constructor() { absent(); } static create() { absent(); } }`).join("\n"),
        loader: "js",
        resolveDir: resolve("."),
      };
    });
  },
};

// The bin runs as `node -- bin ARGS`. Node reads `--env-file` from its whole command line up to a
// `--`, the script's own arguments included (Node 20 to 26), so under `#!/usr/bin/env node`
// `orbitra run --env-file missing.env -- app` died in Node itself ("node: missing.env: not found",
// exit 9) and a present file was loaded into orbitra's own environment. `env -S` splits the line
// on Linux (coreutils), macOS and the BSDs, and npm's Windows shims (cmd-shim) read the same line;
// a `#!/bin/sh` polyglot would leave Windows without sh. BusyBox's env has no -S: on Alpine,
// install coreutils-env (README).
const shebang = "#!/usr/bin/env -S node --";

// commander imports node:child_process at its top, for executable subcommands (which orbitra does
// not have); loading it, and node:net and the streams under it, cost ~20 M instructions of every
// command of the whole CLI. In the bundle commander gets a stand-in that loads it on first use.
const lazyChildProcessForCommander = {
  name: "lazy-child-process-for-commander",
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: "child_process", namespace: "orbitra-lazy" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "orbitra-lazy" }, () => ({
      contents: 'export default new Proxy({}, { get: (_target, member) => process.getBuiltinModule("node:child_process")[member] });',
      loader: "js",
    }));
  },
};

await Promise.all([
  build({ ...common, entryPoints: ["src/cli/startup-loader.ts"], outfile: "dist/bin/orbitra.cjs", banner: { js: shebang }, define: {} }),
  build({ ...common, entryPoints: ["src/cli/startup-get.ts"], outfile: "dist/bin/orbitra-get.cjs", plugins: [getBundleStubs] }),
  build({ ...common, plugins: [lazyChildProcessForCommander], entryPoints: ["src/cli/main.ts"], outfile: "dist/bin/orbitra-full.cjs" }),
]);

for (const file of ["dist/bin/orbitra.cjs", "dist/bin/orbitra-get.cjs", "dist/bin/orbitra-full.cjs"]) {
  const text = readFileSync(file, "utf8");
  const left = /\bimport\(\s*["'`]/.exec(text);
  if (left) throw new Error(`${file} still has a dynamic import() (at ${left.index}); the bin cannot run it from a code cache.`);
  // esbuild escapes non-ASCII characters in code (charset ascii) but prints comments as written,
  // and one `§` or `⋅` in a comment makes the whole bundle a two-byte string for V8: reading and
  // scanning the 1 MB full bundle cost ~20 M instructions more on every start. Escaped, what is
  // left (comments only) reads the same.
  if (/[\u0080-\uffff]/.test(text)) writeFileSync(file, text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}
