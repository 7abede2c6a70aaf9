import type { Command } from "commander";
import { join } from "node:path";
import { orbitraHome } from "../../settings/paths.js";
import type { CliContext } from "../context.js";
import { collect } from "../secret-command.js";
import { UsageError } from "../usage-error.js";

interface ServeOptions {
  host: string;
  port: string;
  data?: string;
  vault?: string[];
  san?: string[];
  json?: boolean;
  quiet?: boolean;
  latency?: string;
  throttleRate?: string;
  throttleStatus?: string;
  retryAfter?: string;
}

function number(text: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`${flag} must be a number from ${min} to ${max}.`);
  return n;
}

export function registerVaultCommands(program: Command, ctx: CliContext): void {
  const vault = program.command("vault").summary("run a local Key Vault server over the embedded store");
  vault
    .command("serve")
    .summary("serve the Key Vault REST API over HTTPS for the official Azure SDKs")
    .description(
      "Serves Key Vault's secrets API over HTTPS on loopback, backed by SQLite vaults in --data.\n" +
        "On first start it creates a local CA and a server certificate (kept and reused); clients trust\n" +
        "the CA with `tlsOptions: { ca }` or NODE_EXTRA_CA_CERTS. Any bearer token is accepted (open\n" +
        "mode), so the server refuses to bind anything but a loopback address.",
    )
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--port <port>", "port of the first vault; each further vault takes the next (0: any free port)", "8443")
    .option("--data <dir>", "folder for vault files, key and certificates (default: $ORBITRA_HOME/server)")
    .option("--vault <name>", "a vault to serve, repeatable (default: one vault named 'default')", collect)
    .option("--san <name>", "an extra DNS name or IP for the certificate, repeatable", collect)
    .option("--json", "print one JSON line with the URLs and CA file once listening")
    .option("--quiet", "no access log")
    .option("--debug", "print stack traces and causes of errors")
    .option("--latency <ms>", "test feature: add this delay to every request")
    .option("--throttle-rate <share>", "test feature: answer this share of requests (0..1) with 429/503")
    .option("--throttle-status <status>", "test feature: 429 (default) or 503 for --throttle-rate")
    .option("--retry-after <seconds>", "test feature: Retry-After sent with injected throttling (default 1)")
    .addHelpText(
      "after",
      "\nExamples:\n  orbitra vault serve\n  orbitra vault serve --port 0 --json\n  orbitra vault serve --vault dev --vault staging --port 9443\n" +
        "  orbitra vault serve --latency 20 --throttle-rate 0.1 --retry-after 1",
    )
    .action(async (options: ServeOptions) => {
      const port = number(options.port, "--port", 0, 65535)!;
      const status = number(options.throttleStatus, "--throttle-status", 429, 503);
      if (status !== undefined && status !== 429 && status !== 503) throw new UsageError("--throttle-status must be 429 or 503.");
      const latencyMs = number(options.latency, "--latency", 0, 60_000);
      const throttleRate = number(options.throttleRate, "--throttle-rate", 0, 1);
      const retryAfterSeconds = number(options.retryAfter, "--retry-after", 0, 3600);
      const dataDir = options.data ?? join(orbitraHome(ctx.env), "server");
      const log = (line: string) => ctx.stderr.write(`${new Date().toISOString()} ${line}\n`);
      const { startVaultServer } = await import("../../server/serve.js");
      const running = await startVaultServer({
        dataDir,
        host: options.host,
        port,
        env: ctx.env,
        ...(options.vault ? { vaults: options.vault } : {}),
        ...(options.san ? { sans: options.san } : {}),
        ...(options.quiet ? {} : { accessLog: log }),
        faults: {
          ...(latencyMs ? { latencyMs } : {}),
          ...(throttleRate ? { throttleRate } : {}),
          ...(status ? { throttleStatus: status as 429 | 503 } : {}),
          ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
        },
      });
      if (options.json) {
        ctx.stdout.write(JSON.stringify({ vaults: running.vaults, caFile: running.caFile }) + "\n");
      } else {
        const first = running.vaults[0]!;
        ctx.stdout.write(
          running.vaults.map((v) => `Vault '${v.name}' at ${v.url}\n`).join("") +
            `CA certificate: ${running.caFile}\n` +
            "Open mode: any bearer token is accepted (loopback only).\n\n" +
            "Use it from orbitra:\n" +
            `  orbitra secrets list --key-vault ${first.url}   # with ORBITRA_CA_FILE_<ENV> or ca_file in orbitra.toml\n` +
            `  or in orbitra.toml: [environments.dev] key_vault = "${first.url}"  ca_file = "${running.caFile}"\n\n` +
            "Use it from the official SDK (@azure/keyvault-secrets):\n" +
            `  new SecretClient("${first.url}", credential, {\n` +
            `    tlsOptions: { ca: readFileSync("${running.caFile}") },\n` +
            "    disableChallengeResourceVerification: true,\n  });\n" +
            `  or start node with NODE_EXTRA_CA_CERTS=${running.caFile}\n\n` +
            "Ctrl-C stops the server.\n",
        );
      }
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          if (!options.quiet) log("stopping: finishing requests in flight");
          void running.close().then(resolve);
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
    });
}
