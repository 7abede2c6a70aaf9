import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { writePrivateFile } from "./private-file.js";

/**
 * `--open`: the platform's own opener with the console. The console URL's fragment carries open
 * mode's console token (this start's loopback token, not a vault secret), and any user of the
 * machine can read a process's argv; so the opener is handed a file instead, a 0600 page in
 * `folder` that sends the browser on to the URL (what Jupyter does for its token). Returns what
 * removes the page, for when the server stops. Failure to open is only a note: the URL is printed
 * either way.
 */
export function openConsole(url: string, folder: string, onError: (message: string) => void): () => void {
  const page = join(folder, `console-${process.pid}.html`);
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    writePrivateFile(page, redirectPage(url), true);
  } catch {
    onError("Could not write the page that opens the console: open the URL above yourself.");
    return () => {};
  }
  openWithPlatform(pathToFileURL(page).href, onError);
  return () => rmSync(page, { force: true });
}

function redirectPage(url: string): string {
  const html = url.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  // location.replace keeps this page out of the tab's history; the meta refresh is for no script.
  return (
    `<!doctype html>\n<meta charset="utf-8">\n<title>orbitra console</title>\n` +
    `<meta http-equiv="refresh" content="0; url=${html}">\n` +
    `<script>location.replace(${JSON.stringify(url).replace(/</g, "\\u003c")})</script>\n` +
    `<p><a href="${html}">Open the orbitra console</a></p>\n`
  );
}

function openWithPlatform(target: string, onError: (message: string) => void): void {
  const [command, args] =
    process.platform === "darwin" ? ["open", [target]] : process.platform === "win32" ? ["cmd", ["/c", "start", "", target]] : ["xdg-open", [target]];
  try {
    const child = process.getBuiltinModule("node:child_process").spawn(command, args, { stdio: "ignore", detached: true });
    child.on("error", () => onError(`Could not start ${command} to open the console: open the URL above yourself.`));
    child.unref();
  } catch {
    onError(`Could not start ${command} to open the console: open the URL above yourself.`);
  }
}
