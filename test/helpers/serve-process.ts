import { spawn } from "node:child_process";
import { join } from "node:path";

/** The CLI's entry, run through tsx. */
export const main = join(import.meta.dirname, "..", "..", "src", "cli", "main.ts");

export interface Ready {
  vaults: { name: string; url: string; azureUrl?: string; consoleUrl?: string }[];
  caFile: string;
  proxy?: string;
  env?: Record<string, string>;
}

/** Starts `orbitra vault serve` as users do and waits for its ready line (never a sleep). */
export function serve(home: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", main, "vault", "serve", ...args], {
    env: { PATH: process.env.PATH, ORBITRA_HOME: home, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString("utf8");
      if (stdout.includes("\n")) resolve(stdout.split("\n")[0]!);
    });
    void exited.then((code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
  firstLine.catch(() => undefined); // tests that expect a failed start await `exited` instead
  return { child, firstLine, exited, stdout: () => stdout, stderr: () => stderr };
}

export const readyOf = async (server: ReturnType<typeof serve>): Promise<Ready> => JSON.parse(await server.firstLine) as Ready;
