// Bundles the web console (src/console) into dist/console: index.html, and assets/ named by
// content hash so the server can let browsers keep them (server/console-route.ts). Preact is
// bundled in: no CDN and no network at run time. Run by `npm run build`; the browser tests call
// buildConsole() into a temporary folder so they never depend on a stale build.
import { build } from "esbuild";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { argv } from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export async function buildConsole(outdir = join(root, "dist/console")) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(join(outdir, "assets"), { recursive: true });
  const result = await build({
    entryPoints: [join(root, "src/console/main.tsx"), join(root, "src/console/styles.css")],
    outdir: join(outdir, "assets"),
    entryNames: "[name]-[hash]",
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["chrome120", "firefox120", "safari17"],
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: true,
    metafile: true,
    logLevel: "warning",
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
  const js = outputs.find((n) => n.endsWith(".js"));
  const css = outputs.find((n) => n.endsWith(".css"));
  const html = readFileSync(join(root, "src/console/index.html"), "utf8").replace("%JS%", js).replace("%CSS%", css);
  writeFileSync(join(outdir, "index.html"), html);
  return outdir;
}

if (import.meta.url === pathToFileURL(argv[1] ?? "").href) await buildConsole();
