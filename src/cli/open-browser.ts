import { spawn } from "node:child_process";

/**
 * `--open`: the platform's own opener with the console URL. The URL's fragment carries open mode's
 * console token, as Jupyter's does; it is this start's loopback token, not a vault secret. Failure
 * to open is only a note: the URL is printed either way.
 */
export function openBrowser(url: string, onError: (message: string) => void): void {
  const [command, args] =
    process.platform === "darwin" ? ["open", [url]] : process.platform === "win32" ? ["cmd", ["/c", "start", "", url]] : ["xdg-open", [url]];
  try {
    const child = spawn(command, args, { stdio: "ignore", detached: true });
    child.on("error", () => onError(`Could not start ${command} to open the console: open the URL above yourself.`));
    child.unref();
  } catch {
    onError(`Could not start ${command} to open the console: open the URL above yourself.`);
  }
}
