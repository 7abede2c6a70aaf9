import type { Command } from "commander";
import { join } from "node:path";
import { backupKeyPath, orbitraHome } from "../../settings/paths.js";
import type { CliContext } from "../context.js";
import { collect } from "../flag-values.js";
import { UsageError } from "../usage-error.js";
import { writeProxyState } from "../proxy-state.js";
import { writeAdminState } from "../admin-state.js";
import { registerVaultAdminCommands } from "./vault-admin.js";
import { registerVaultEnvCommands } from "./vault-env.js";
import { registerVaultIdentityCommands } from "./vault-identity.js";

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
  rateLimit?: string;
  auth: string;
  autoApprove?: string;
  maxConnections?: string;
  proxy?: boolean;
  proxyPort?: string;
  consistencyDelay?: string;
  seed?: string;
  console: boolean;
  open?: boolean;
}

function number(text: string | undefined, flag: string, min: number, max: number, integer = true): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag} must be a ${integer ? "whole " : ""}number from ${min} to ${max}, not '${text.slice(0, 20)}'.`);
  }
  return n;
}

const DESCRIPTION = `Serves Azure Key Vault's secrets REST API over HTTPS, backed by embedded SQLite vaults, so the unmodified official Azure SDKs (and orbitra itself) can run against a vault with no cloud.

Each --vault is its own file <data>/<name>.db on its own port (--port, --port+1, ...); all share one vault key (<data>/vault.key) and one certificate. Without --vault there is one vault named 'default'. https://NAME.localhost:PORT also reaches vault NAME on any of the ports, where NAME.localhost resolves to loopback (most systems; else add it to /etc/hosts).

On first start a local CA and a server certificate are created in <data> and reused later; clients trust the CA file it prints (tlsOptions: { ca } or NODE_EXTRA_CA_CERTS). By default any bearer token is accepted (open mode), so the server refuses to bind anything but a loopback address. With --auth strict the server is also the identity provider: an Entra-shaped token endpoint on the same port (client credentials, device code and refresh tokens), ES256 tokens signed with <data>/token-signing-key.pem, and RBAC with Key Vault's built-in data-plane roles (orbitra vault principal|role); it may then bind any address. Users sign in with 'orbitra login'; each sign-in is approved with 'orbitra vault device approve CODE --user NAME', or, for development on loopback, at once with --auto-approve NAME.

With --proxy it is also an HTTP CONNECT proxy on loopback (--proxy-port, default any free port) that answers for Azure itself: https://NAME.vault.azure.net (and the sovereign clouds' suffixes) reaches vault NAME, login.microsoftonline.com and its aliases reach Entra-shaped identity endpoints (in open mode any client id gets a token), and management.azure.com answers GET /subscriptions and /tenants for 'az login'. Every other host, plain HTTP and any peer that is not loopback gets a 403; nothing is forwarded. Clients need no option changed: set the variables 'orbitra vault env' prints (or run them with 'orbitra vault exec -- CMD').

Test features (off by default): --latency delays every request; --throttle-rate answers a share of requests with 429 (or --throttle-status 503) and a Retry-After of --retry-after seconds; --consistency-delay keeps a deleted secret out of /deletedsecrets and a recovered one out of /secrets for that many milliseconds, as Azure does for about 2 s; --seed FILE writes secrets at start. While it runs, 'orbitra vault time advance 30d' moves its clock (timestamps, expiry, purge dates) and 'orbitra vault faults set|clear' switches faults: both use the /_orbitra/ admin routes with the per-start token the server leaves in <data>/admin.json (0600).

Stops cleanly on Ctrl-C or SIGTERM: requests in flight finish, the vault files are closed.`;

const EXAMPLES = `
Examples:
  orbitra vault serve                   # https://127.0.0.1:8443, vault default
  orbitra vault serve --port 0 --json   # any free port; a JSON line when ready
  orbitra vault serve --vault dev --vault staging   # on 8443 and 8444
  orbitra vault serve --san myhost.test --data ./.kv   # another name; data here
  orbitra vault serve --latency 20 --throttle-rate 0.1 --retry-after 1
  orbitra vault serve --auth strict --auto-approve alice   # dev only
  orbitra vault serve --proxy &         # then: orbitra vault exec -- app

From Node (@azure/keyvault-secrets):
  const client = new SecretClient("https://127.0.0.1:8443", credential, {
    tlsOptions: { ca: readFileSync("<data>/ca.pem") },
    disableChallengeResourceVerification: true,
  });
  (or start node with NODE_EXTRA_CA_CERTS=<data>/ca.pem; any credential works)`;

export function registerVaultCommands(program: Command, ctx: CliContext): void {
  const vault = program
    .command("vault")
    .summary("run a local Key Vault server over the embedded store")
    .description("Commands for the local Key Vault server. See 'orbitra vault serve --help'.");
  vault
    .command("serve")
    .summary("serve the Key Vault REST API over HTTPS for the official Azure SDKs")
    .description(DESCRIPTION)
    .option("--host <host>", "address to bind: 127.0.0.1, ::1 or localhost", "127.0.0.1")
    .option("--port <port>", "port of the first vault; each further vault takes the next (0: any free port)", "8443")
    .option("--data <dir>", "folder for the vault files, the vault key and the certificates (default: $ORBITRA_HOME/server)")
    .option("--vault <name>", "a vault to serve, repeatable; 3-24 letters, digits, dashes (default: one vault, 'default')", collect)
    .option("--san <name>", "an extra DNS name or IP for the server certificate, repeatable", collect)
    .option("--auth <mode>", "open: any bearer token, loopback only; strict: tokens from this server's token endpoint and RBAC (see 'orbitra vault principal')", "open")
    .option("--auto-approve <user>", "development only, with --auth strict on loopback: approve every 'orbitra login' device-code sign-in as this user")
    .option("--max-connections <n>", "connections per vault's listener at most (default 256); more are closed as they arrive")
    .option("--json", "print one JSON line {vaults:[{name,url,azureUrl?,consoleUrl?}], caFile, proxy?, env?} once listening, nothing else on stdout")
    .option("--quiet", "no access log on stderr")
    .option("--debug", "print stack traces and causes of errors")
    .option("--latency <ms>", "test feature: add this many milliseconds to every request")
    .option("--throttle-rate <share>", "test feature: answer this share of requests (0..1) with --throttle-status")
    .option("--throttle-status <status>", "test feature: 429 (default) or 503")
    .option("--retry-after <seconds>", "test feature: Retry-After on injected throttling (default 1)")
    .option("--rate-limit <limits>", "azure: enforce Key Vault's per-vault limits (4,000 transactions per 10 s, of which 300 secret creates or 20 key creates), 429 with Retry-After beyond")
    .option("--proxy", "also run a loopback CONNECT proxy for NAME.vault.azure.net, Entra and ARM (see above)")
    .option("--proxy-port <port>", "the proxy's port (0: any free port; default 0)")
    .option("--consistency-delay <ms>", "test feature: deleted and recovered secrets show up this many milliseconds late")
    .option("--seed <file>", "test feature: write these secrets at start (a file in 'secrets export' formats: .json, .sh, else dotenv) into every vault")
    .option("--no-console", "do not serve the web console under /_console/")
    .option("--open", "open the web console in the default browser once listening")
    .addHelpText("after", EXAMPLES)
    .action(async (options: ServeOptions) => {
      const port = number(options.port, "--port", 0, 65535)!;
      if (options.auth !== "open" && options.auth !== "strict") throw new UsageError("--auth must be open or strict.");
      const strict = options.auth === "strict";
      const throttleStatus = number(options.throttleStatus, "--throttle-status", 429, 503);
      if (throttleStatus !== undefined && throttleStatus !== 429 && throttleStatus !== 503) {
        throw new UsageError("--throttle-status must be 429 or 503.");
      }
      const latencyMs = number(options.latency, "--latency", 0, 60_000);
      const throttleRate = number(options.throttleRate, "--throttle-rate", 0, 1, false);
      const retryAfterSeconds = number(options.retryAfter, "--retry-after", 0, 3600);
      const proxyPort = number(options.proxyPort, "--proxy-port", 0, 65535);
      if (proxyPort !== undefined && !options.proxy) throw new UsageError("--proxy-port goes with --proxy.");
      const consistencyDelayMs = number(options.consistencyDelay, "--consistency-delay", 0, 600_000);
      if (options.rateLimit !== undefined && options.rateLimit !== "azure") throw new UsageError("--rate-limit takes one value: azure (Key Vault's published limits).");
      if (options.open && !options.console) throw new UsageError("--open opens the console: it does not go with --no-console.");
      const dataDir = options.data ?? join(orbitraHome(ctx.env), "server");
      const log = (line: string) => ctx.stderr.write(`${new Date().toISOString()} ${line}\n`);

      // Loaded here, not at the top: `secrets` commands must not pay for the server's modules.
      const { startVaultServer } = await import("../../server/serve.js");
      const { MovableClock } = await import("../../server/movable-clock.js");
      // Read before anything starts: a bad seed file stops the start-up with nothing served.
      const seed = options.seed === undefined ? undefined : (await import("../../testing/seed-file.js")).readSeedFile(options.seed);
      const adminToken = process.getBuiltinModule("node:crypto").randomBytes(24).toString("base64url");
      const maxConnections = number(options.maxConnections, "--max-connections", 1, 100_000);
      const running = await startVaultServer({
        dataDir,
        backupKeyFile: backupKeyPath(ctx.env),
        ...(maxConnections !== undefined ? { maxConnections } : {}),
        host: options.host,
        port,
        env: ctx.env,
        auth: strict ? "strict" : "open",
        ...(options.autoApprove !== undefined ? { strict: { autoApprove: options.autoApprove } } : {}),
        ...(options.vault ? { vaults: options.vault } : {}),
        ...(options.san ? { sans: options.san } : {}),
        ...(options.proxy ? { proxy: { port: proxyPort ?? 0, vaultSuffixes: ctx.env.ORBITRA_VAULT_SUFFIX ? [ctx.env.ORBITRA_VAULT_SUFFIX] : [] } } : {}),
        ...(consistencyDelayMs ? { consistencyDelayMs } : {}),
        ...(options.rateLimit ? { rateLimit: "azure" as const } : {}),
        console: options.console,
        ...(options.quiet ? {} : { accessLog: log }),
        errorLog: log,
        admin: { token: adminToken, clock: new MovableClock() },
        faults: {
          ...(latencyMs ? { latencyMs } : {}),
          ...(throttleRate ? { throttleRate } : {}),
          ...(throttleStatus ? { throttleStatus: throttleStatus as 429 | 503 } : {}),
          ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
        },
      });
      const vaults = running.vaults.map(({ name, url, azureUrl, consoleUrl }) => ({ name, url, ...(azureUrl ? { azureUrl } : {}), ...(consoleUrl ? { consoleUrl } : {}) }));
      const proxy = running.proxy;
      if (seed) {
        const { seedVault } = await import("../../server/seed.js");
        try {
          for (const served of running.vaults) seedVault(running.store(served.name), seed);
        } catch (error) {
          await running.close();
          throw error;
        }
      }
      const forgetAdmin = writeAdminState(dataDir, { pid: process.pid, url: running.vaults[0]!.url, caFile: running.caFile, token: adminToken });
      const forgetProxy = proxy ? writeProxyState(dataDir, { pid: process.pid, proxy: proxy.url, vaults, env: proxy.env }) : undefined;
      // Signals are caught before the ready line goes out: whoever reads it may stop us at once.
      let forgetOpenPage: (() => void) | undefined;
      const stopped = untilSignal(async () => {
        if (!options.quiet) log("stopping: finishing requests in flight");
        forgetProxy?.();
        forgetAdmin();
        forgetOpenPage?.();
        await running.close();
      });
      const ready = { vaults, caFile: running.caFile, ...(strict ? { auth: "strict" } : {}), ...(proxy ? { proxy: proxy.url, env: proxy.env } : {}) };
      ctx.stdout.write(options.json ? JSON.stringify(ready) + "\n" : banner(vaults, running.caFile, strict) + (proxy ? proxyBanner(proxy.url) : ""));
      if (!options.quiet) {
        // Said at every start, --json included: open mode trusts any token, and only loopback makes that safe.
        const mode = strict
          ? `strict mode (tokens and RBAC)${options.autoApprove !== undefined ? `; every device-code sign-in is approved as '${options.autoApprove}' (development only)` : ""}`
          : "open mode: any bearer token is accepted, loopback only";
        if (options.console && !running.vaults[0]!.consoleUrl) log("the web console is not built (npm run build makes dist/console): serving the API only");
        log(`listening in ${mode}; ${throttleRate ? `throttling ${throttleRate * 100}% of requests, ` : ""}Ctrl-C stops`);
      }
      const consoleUrl = running.vaults[0]!.consoleUrl;
      if (options.open && consoleUrl) {
        const { openConsole } = await import("../open-browser.js");
        forgetOpenPage = openConsole(consoleUrl, dataDir, log);
      }
      await stopped;
    });
  registerVaultIdentityCommands(vault, ctx);
  registerVaultEnvCommands(vault, ctx);
  registerVaultAdminCommands(vault, ctx);
}

function proxyBanner(proxyUrl: string): string {
  return (
    `Proxy at ${proxyUrl}: https://<vault>.vault.azure.net, login.microsoftonline.com and management.azure.com are this server.\n` +
    `  eval "$(orbitra vault env)"     # HTTPS_PROXY, the CA variables and (open mode) a throwaway principal\n` +
    "  orbitra vault exec -- CMD       # or run one program with them; SDK options stay at their defaults\n"
  );
}

function banner(vaults: { name: string; url: string; consoleUrl?: string }[], caFile: string, strict: boolean): string {
  const first = vaults[0]!;
  const port = new URL(first.url).port;
  return (
    vaults.map((v) => `Vault '${v.name}' at ${v.url}\n`).join("") +
    (first.consoleUrl ? `Web console: ${first.consoleUrl}\n` : "") +
    `CA certificate: ${caFile}\n` +
    (strict
      ? `Strict mode: tokens from this server's token endpoint (${first.url}/<tenant>/oauth2/v2.0/token) and RBAC; see 'orbitra vault principal add'.\n`
      : "Open mode: any bearer token is accepted (loopback only). Use --auth strict for tokens and RBAC.\n") +
    `Also reachable as https://<vault>.localhost:<port> (e.g. https://${first.name}.localhost:${port}) where *.localhost resolves.\n\n` +
    "From the official SDK (@azure/keyvault-secrets):\n" +
    `  new SecretClient("${first.url}", credential, {\n` +
    `    tlsOptions: { ca: readFileSync("${caFile}") },\n` +
    "    disableChallengeResourceVerification: true,\n  });\n" +
    `  or start node with NODE_EXTRA_CA_CERTS=${caFile}\n\n` +
    "From orbitra:\n" +
    `  ORBITRA_KEY_VAULT_DEV=${first.url} ORBITRA_CA_FILE_DEV=${caFile} orbitra secrets list -e dev\n` +
    `  or in orbitra.toml:\n    [environments.dev]\n    key_vault = "${first.url}"\n    ca_file = "${caFile}"\n\n` +
    "Ctrl-C stops the server.\n"
  );
}

/**
 * Resolves once `stop` has run after SIGINT or SIGTERM. A second signal while stopping does not
 * kill the process half-way: stop() bounds its own wait (in-flight requests get a grace period).
 */
function untilSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    let stopping = false;
    const onSignal = () => {
      if (stopping) return;
      stopping = true;
      stop().then(() => {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
        resolve();
      }, reject);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
