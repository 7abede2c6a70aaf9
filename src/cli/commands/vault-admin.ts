import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { UnavailableError } from "../../core/errors.js";
import { orbitraHome } from "../../settings/paths.js";
import { readAdminState } from "../admin-state.js";
import type { CliContext } from "../context.js";
import { UsageError } from "../usage-error.js";

interface AdminCommandOptions {
  data?: string;
  vault?: string;
}

const DATA_HELP = "the server's data folder (default: $ORBITRA_HOME/server)";

/**
 * `orbitra vault time` and `orbitra vault faults`: the testing kit's switches for shells, sent to
 * the running `vault serve`'s `/_orbitra/` routes with the token it left in `<data>/admin.json`.
 */
export function registerVaultAdminCommands(vault: Command, ctx: CliContext): void {
  const send = async (options: AdminCommandOptions, method: string, route: string, body?: unknown) => {
    const state = readAdminState(options.data ?? join(orbitraHome(ctx.env), "server"));
    const query = options.vault ? `?vault=${encodeURIComponent(options.vault)}` : "";
    const reply = await adminRequest(state.url, readFileSync(state.caFile, "utf8"), state.token, method, `/_orbitra/${route}${query}`, body);
    if (reply.status >= 300) {
      const message = (JSON.parse(reply.body || "{}") as { error?: { message?: string } }).error?.message ?? `status ${reply.status}`;
      throw new UsageError(`The server refused: ${message}`);
    }
    if (reply.body) ctx.stdout.write(reply.body + "\n");
  };
  const time = vault.command("time").summary("move the running server's clock (expiry, purge dates, timestamps), for tests");
  time
    .command("show")
    .summary("print the server's time and its offset from this machine's")
    .option("--data <dir>", DATA_HELP)
    .action((options: AdminCommandOptions) => send(options, "GET", "time"));
  time
    .command("advance")
    .summary("move the server's clock forward (or back with a minus): 30d, 12h, 90s, 250ms")
    .argument("<duration>", "how far, e.g. 30d")
    .option("--data <dir>", DATA_HELP)
    .action((duration: string, options: AdminCommandOptions) => send(options, "POST", "time", { advance: duration }));
  time
    .command("set")
    .summary("set the server's clock to a moment (ISO 8601), or back to real time with 'now'")
    .argument("<date>", "e.g. 2030-01-01T00:00:00Z, or now")
    .option("--data <dir>", DATA_HELP)
    .action((date: string, options: AdminCommandOptions) => send(options, "POST", "time", date === "now" ? { reset: true } : { set: date }));

  const faults = vault.command("faults").summary("switch the running server's injected faults, for tests");
  faults
    .command("set")
    .summary("change faults on a running server (the same switches as serve's --latency, --throttle-*)")
    .option("--data <dir>", DATA_HELP)
    .option("--latency <ms>", "milliseconds added to every request")
    .option("--throttle-rate <share>", "share of requests (0..1) refused with --throttle-status")
    .option("--throttle-status <status>", "429 or 503")
    .option("--retry-after <seconds>", "Retry-After on injected throttling")
    .option("--fail-next <n>", "fail the next n requests with --fail-status")
    .option("--fail-status <status>", "status for --fail-next (default 500)")
    .action((options: AdminCommandOptions & Record<string, string | undefined>) => {
      const fields: Record<string, string> = {
        latency: "latencyMs",
        throttleRate: "throttleRate",
        throttleStatus: "throttleStatus",
        retryAfter: "retryAfterSeconds",
        failNext: "failNext",
        failStatus: "failStatus",
      };
      const change: Record<string, number> = {};
      for (const [flag, field] of Object.entries(fields)) {
        const text = options[flag];
        if (text === undefined) continue;
        const n = Number(text);
        if (text.trim() === "" || !Number.isFinite(n)) throw new UsageError(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be a number, not '${text.slice(0, 20)}'.`);
        change[field] = n;
      }
      if (Object.keys(change).length === 0) throw new UsageError("Name at least one fault: --latency, --throttle-rate, --throttle-status, --retry-after, --fail-next.");
      return send(options, "POST", "faults", change);
    });
  faults
    .command("clear")
    .summary("switch every injected fault off")
    .option("--data <dir>", DATA_HELP)
    .action((options: AdminCommandOptions) => send(options, "DELETE", "faults"));
}

async function adminRequest(url: string, ca: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  const target = new URL(path, url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  // node:https here, not at the top: loading node:tls parses Node's bundled root certificates
  // (~120 M instructions, more than a whole `node -e 0`), and this file is part of the command
  // tree that every command of the whole CLI builds, `--help` included.
  const { request } = await import("node:https");
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      { method, ca, agent: false, headers: { "x-orbitra-admin-token": token, ...(payload ? { "content-type": "application/json" } : {}) } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on("error", reject);
      },
    );
    req.on("error", (error) => reject(new UnavailableError(`Cannot reach the server at ${url}: ${error.message}. Is 'orbitra vault serve' still running?`)));
    req.end(payload);
  });
}
