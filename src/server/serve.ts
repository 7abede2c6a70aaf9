import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { ConfigurationError, UnavailableError } from "../core/errors.js";
import { LocalVault } from "../store/local-vault.js";
import type { Clock } from "../store/types.js";
import type { Authorizer } from "./auth.js";
import type { FaultOptions } from "./faults.js";
import { VaultRateLimit, type RateLimitPreset } from "./rate-limit.js";
import { createAdminRoute } from "./admin.js";
import type { MovableClock } from "./movable-clock.js";
import { createVaultHandler } from "./handler.js";
import { answerClientError, createNodeListener } from "./node-listener.js";
import { defaultSans, ensureTlsMaterial } from "./tls.js";
import type { HostedVault } from "./vault-host.js";
import { guardHost, ServerNames } from "./server-names.js";
import { connectionLimits, limitConnections } from "./connection-limits.js";
import { openStrictMode, type StrictMode, type StrictModeOptions } from "./identity/strict-mode.js";
import { ARM_RESOURCES, AZURE_VAULT_SUFFIXES } from "../core/azure-hosts.js";
import { logReply } from "./access-log.js";
import { ConsistencyWindow } from "./consistency-delay.js";
import type { VaultHandler } from "./handler.js";
import { interceptedNames } from "./proxy/intercepted-hosts.js";
import { proxyEnv } from "./proxy/proxy-env.js";
import { startProxy, type RunningProxy } from "./proxy/start-proxy.js";
import { CONSOLE_PATH, createConsoleRoute, defaultConsoleDir, withConsole } from "./console-route.js";
import { randomBytes } from "node:crypto";

/** The vault served when none is named: `<data>/default.db`. Not "local", which is the CLI's embedded store elsewhere. */
export const DEFAULT_VAULT_NAME = "default";
export const DEFAULT_PORT = 8443;

export interface VaultServerOptions {
  /** Folder for the vault files (`<name>.db`), the vault key (`vault.key`) and the TLS material. */
  dataDir: string;
  /** Address to bind; loopback only unless `validatesTokens`. Default 127.0.0.1. */
  host?: string;
  /** The first vault's port; each further vault takes the next one. 0 picks free ports. Default 8443. */
  port?: number;
  /** Vault names (Key Vault's rules: 3-24 of a-z, 0-9, -). Default: one vault, "default". */
  vaults?: string[];
  /** Extra DNS names or IPs for the server certificate. */
  sans?: string[];
  faults?: FaultOptions;
  /** "azure": Key Vault's per-vault throttling limits, answered with 429 and Retry-After as Key Vault does (rate-limit.ts). Default none. */
  rateLimit?: RateLimitPreset;
  /** One line per request; never a body or a value. */
  accessLog?: (line: string) => void;
  /** Unexpected errors (500s), described; default: the access log. */
  errorLog?: (line: string) => void;
  authorize?: Authorizer;
  /**
   * "strict": tokens this server issues itself (token endpoint on the same port, signing key and
   * identity.db in dataDir) and RBAC on every operation; binding beyond loopback is then allowed.
   * Default "open" (any bearer token, loopback only).
   */
  auth?: "open" | "strict";
  /** Strict mode, for tests: the token clock (ms) and the exp/nbf tolerance. */
  strict?: StrictModeOptions;
  /** Set only with an `authorize` that validates tokens: only then may the server bind beyond loopback. */
  validatesTokens?: boolean;
  recoverableDays?: number;
  /** For tests: the stores' clock. */
  clock?: Clock;
  /** The installation's backup key (`$ORBITRA_HOME/backup.key` from the CLI); default `<dataDir>/backup.key`. */
  backupKeyFile?: string;
  /** Where the stores look for ORBITRA_VAULT_KEY and ORBITRA_BACKUP_KEY; default process.env. */
  env?: NodeJS.ProcessEnv;
  bodyLimit?: number;
  /** How long close() lets requests in flight finish before cutting their connections. Default 10 s. */
  closeGraceMs?: number;
  /** Connections per listener at most; more are closed as they arrive. Default 256. */
  maxConnections?: number;
  /** How long a connection may take to finish its TLS handshake (or start one). Default 10 s. */
  handshakeTimeoutMs?: number;
  /** How long a connection may go with no byte either way once its TLS handshake is done. Default 60 s. */
  idleSocketTimeoutMs?: number;
  /**
   * `--proxy`: also an HTTP CONNECT proxy on loopback that answers for `NAME.vault.azure.net`,
   * Entra's login hosts and ARM (see proxy/), so clients with default options reach these vaults.
   */
  proxy?: { port?: number; /** Extra Key Vault DNS suffixes (the settings' vault_suffix). */ vaultSuffixes?: string[] };
  /** `--consistency-delay`: milliseconds before a deleted secret shows as deleted and a recovered one as live. */
  consistencyDelayMs?: number;
  /**
   * The testing kit's `/_orbitra/` routes (time, faults, seed, reset; see admin.ts), refused without
   * `token` (and in strict mode without an administrator). `clock` becomes the stores' clock.
   */
  admin?: { token: string; clock: MovableClock };
  /** The web console under `/_console/` (default on; `false` is `--no-console`). `dir`: the built files, default dist/console. */
  console?: boolean | { dir?: string };
}

export interface ServedVault {
  name: string;
  /** `https://host:port`: what clients pass to SecretClient. */
  url: string;
  port: number;
  /** With the proxy: `https://NAME.vault.azure.net`, for clients whose HTTPS_PROXY is the proxy. */
  azureUrl?: string;
  /** The web console of this vault; in open mode with this start's token in the fragment (never sent to the server, so never logged). */
  consoleUrl?: string;
}

export interface ServedProxy {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** The variables a child process needs to use the proxy (see proxy/proxy-env.ts); in open mode a client secret among them. */
  env: Record<string, string>;
}

export interface RunningVaultServer {
  vaults: ServedVault[];
  /** The CA certificate clients must trust. */
  caFile: string;
  /** Its PEM, for clients in the same process. */
  ca: string;
  proxy?: ServedProxy;
  /** The live fault switches every vault's handler reads (`options.faults`, or a new empty set): change them to change the faults. */
  faults: FaultOptions;
  /** A vault's store (default: the first vault), for in-process inspection by tests. */
  store(name?: string): LocalVault;
  /** Stops accepting, lets requests in flight finish (up to closeGraceMs), then closes the stores. Idempotent. */
  close(): Promise<void>;
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|\[::1\]|localhost)$/i;
const VAULT_NAME = /^[a-z](?:[a-z0-9]|-(?!-)){1,22}[a-z0-9]$/;

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/**
 * `orbitra vault serve`: one HTTPS listener per vault (port, port+1, ...), each vault its own
 * SQLite file in `dataDir`, all sharing one vault key and one certificate. Ids allow one vault per
 * host:port, hence a port each; `NAME.localhost:PORT` also reaches vault NAME on any port.
 */
/** Decrypted reads kept per vault until the file changes: the hot secrets of an app fleet, a few MB at most. */
const READ_CACHE_ENTRIES = 1000;

export async function startVaultServer(options: VaultServerOptions): Promise<RunningVaultServer> {
  const host = options.host ?? "127.0.0.1";
  const strictAuth = options.auth === "strict";
  if (!isLoopback(host) && !strictAuth && !(options.validatesTokens && options.authorize)) {
    throw new ConfigurationError(
      `Refusing to listen on ${host}: this server accepts any bearer token (open mode), which is safe on loopback only. Bind 127.0.0.1, ::1 or localhost.`,
    );
  }
  if (options.strict?.autoApprove !== undefined && (!strictAuth || !isLoopback(host))) {
    throw new ConfigurationError("--auto-approve signs in anyone who asks: it needs --auth strict and a loopback address (127.0.0.1, ::1, localhost).");
  }
  const names = (options.vaults?.length ? options.vaults : [DEFAULT_VAULT_NAME]).map((n) => n.toLowerCase());
  for (const name of names) {
    if (!VAULT_NAME.test(name)) {
      throw new ConfigurationError(
        `Invalid vault name '${name.slice(0, 40)}': use Key Vault's rules, 3-24 letters, digits and single dashes, starting with a letter.`,
      );
    }
  }
  if (new Set(names).size !== names.length) throw new ConfigurationError("Each --vault name may appear once.");
  const firstPort = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(firstPort) || firstPort < 0 || (firstPort > 0 && firstPort + names.length - 1 > 65535)) {
    throw new ConfigurationError(`Port ${firstPort} does not leave room for ${names.length} vault(s) below 65536.`);
  }
  try {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ConfigurationError(`Cannot use ${options.dataDir} as the server's data folder: ${(error as Error).message}.`, { cause: error });
  }
  const vaultSuffixes = [...new Set([...(options.proxy?.vaultSuffixes ?? []).map((x) => x.toLowerCase()), ...AZURE_VAULT_SUFFIXES])];
  if (options.proxy && !isLoopback(host)) {
    throw new ConfigurationError(`Refusing to run the proxy with --host ${host}: the proxy listens on loopback only (127.0.0.1, ::1 or localhost).`);
  }
  const sans = defaultSans([
    ...(options.sans ?? []),
    ...names.map((n) => `${n}.localhost`),
    ...(isLoopback(host) ? [] : [host]),
    ...(options.proxy ? interceptedNames(vaultSuffixes) : []),
  ]);
  const tls = await ensureTlsMaterial(options.dataDir, sans);

  const serverNames = new ServerNames(sans, options.proxy ? ARM_RESOURCES : []);
  const strict: StrictMode | undefined = strictAuth ? openStrictMode(options.dataDir, options.strict, serverNames) : undefined;
  // Open mode has identity endpoints only behind the proxy, where clients insist on signing in first.
  const identity = strict ?? (options.proxy ? openStrictMode(options.dataDir, { ...options.strict, anyClient: true }, serverNames) : undefined);
  const authorize = strict?.authorize ?? options.authorize;
  const consistency = options.consistencyDelayMs ? new ConsistencyWindow(options.consistencyDelayMs) : undefined;
  let proxy: RunningProxy | undefined;
  const faults: FaultOptions = options.faults ?? {};
  // Real time, not the vault's movable clock: moving the clock a day must not empty the windows.
  const rateLimit = options.rateLimit === "azure" ? new VaultRateLimit() : undefined;
  const clock = options.clock ?? options.admin?.clock.now;
  const hosted = new Map<string, HostedVault>();
  const listeners: { vault: HostedVault; server: Server; url: string; port: number; consoleUrl?: string }[] = [];
  const consoleDir = options.console === false ? undefined : ((typeof options.console === "object" ? options.console.dir : undefined) ?? defaultConsoleDir());
  // Jupyter's answer for open mode: whoever has the printed URL is the user; a new start, a new token.
  const consoleToken = consoleDir && !strictAuth ? randomBytes(24).toString("base64url") : undefined;
  const handlerFor = (vault: HostedVault, fallbackOrigin: string): VaultHandler =>
    createVaultHandler({
      vault: vault.store,
      vaultName: vault.name,
      vaults: hosted,
      ...(authorize ? { authorize } : {}),
      faults,
      ...(rateLimit ? { rateLimit } : {}),
      ...(options.accessLog ? { accessLog: options.accessLog } : {}),
      ...(options.errorLog ? { errorLog: options.errorLog } : {}),
      ...(options.bodyLimit !== undefined ? { bodyLimit: options.bodyLimit } : {}),
      ...(consistency ? { consistency } : {}),
      ...(clock ? { clock } : {}),
      fallbackOrigin,
    });
  let closing = false;
  const stopAll = async (): Promise<void> => {
    closing = true;
    await Promise.all(listeners.map((l) => stopListener(l.server, options.closeGraceMs ?? 10_000)));
    await proxy?.close();
    for (const vault of hosted.values()) vault.store.close();
    identity?.close();
  };
  try {
    for (const name of names) {
      const store = LocalVault.open({
        path: join(options.dataDir, `${name}.db`),
        // A long-lived process serving the same secrets again and again: see store/read-cache.ts.
        readCacheEntries: READ_CACHE_ENTRIES,
        ...(options.recoverableDays !== undefined ? { recoverableDays: options.recoverableDays } : {}),
        ...(clock ? { clock } : {}),
        ...(options.env ? { env: options.env } : {}),
        ...(options.backupKeyFile ? { backupKeyFile: options.backupKeyFile } : {}),
      });
      // Lock waits happen between event-loop turns (lock-retry.ts), never inside a statement.
      store.setBusyTimeout(0);
      hosted.set(name, { name, store });
    }
    const admin = options.admin
      ? createAdminRoute({ ...options.admin, faults, vaults: hosted, ...(authorize && strict ? { authorize } : {}), ...(options.accessLog ? { accessLog: options.accessLog } : {}) })
      : undefined;
    for (const [index, vault] of [...hosted.values()].entries()) {
      const server = createServer({ key: tls.key, cert: tls.cert, ...connectionLimits(options) });
      limitConnections(server, options);
      server.on("clientError", answerClientError);
      const port = await listen(server, firstPort === 0 ? 0 : firstPort + index, host);
      serverNames.addPort(port);
      const url = `https://${urlHost(host)}:${port}`;
      // Attached once the port is known (requests cannot arrive before: this runs in the
      // 'listening' continuation, ahead of any socket callback).
      // Ids for a request without a Host header (HTTP/1.0) still name this listener, port included.
      const handle = withAdmin(admin, handlerFor(vault, url));
      // Strict mode serves its token endpoint on the vault's own port, ahead of the vault routes.
      const api = strict ? withIdentity(strict, handle, options.accessLog) : handle;
      const consoleUrl = consoleDir ? `${url}${CONSOLE_PATH}/${consoleToken ? `#token=${consoleToken}` : ""}` : undefined;
      listeners.push({ vault, server, port, url, ...(consoleUrl ? { consoleUrl } : {}) });
      const served = consoleDir ? withConsole(createConsoleRoute({ auth: strict ? "strict" : "open", vault: vault.name, vaults: () => listeners.map((l) => ({ name: l.vault.name, url: l.url })), ...(consoleToken ? { token: consoleToken } : {}) }, consoleDir), api) : api;
      server.on("request", createNodeListener(guardHost(serverNames, served), () => closing));
    }
    if (options.proxy) {
      // The same handlers inside tunnels, with ids on the vault's Azure name.
      const tunnelled = new Map<string, VaultHandler>([...hosted.values()].map((v) => [v.name, handlerFor(v, `https://${v.name}.vault.azure.net`)]));
      proxy = await startProxy({
        host,
        port: options.proxy.port ?? 0,
        tls,
        vaults: tunnelled,
        identity: identity!.route,
        vaultSuffixes,
        ...(options.accessLog ? { accessLog: options.accessLog } : {}),
        closing: () => closing,
      });
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    vaults: listeners.map(({ vault, url, port, consoleUrl }) => ({
      name: vault.name,
      url,
      port,
      ...(proxy ? { azureUrl: `https://${vault.name}.vault.azure.net` } : {}),
      ...(consoleUrl ? { consoleUrl } : {}),
    })),
    caFile: tls.caFile,
    ca: tls.ca,
    faults,
    ...(proxy ? { proxy: { url: proxy.url, port: proxy.port, env: proxyEnv({ proxyUrl: proxy.url, caFile: tls.caFile, openMode: !strictAuth }) } } : {}),
    store(name = names[0]!) {
      const vault = hosted.get(name.toLowerCase());
      if (!vault) throw new ConfigurationError(`No vault named '${name}' in this server.`);
      return vault.store;
    },
    close() {
      stopped ??= stopAll();
      return stopped;
    },
  };
}

/** Strict mode's identity endpoints ahead of the vault routes on the vault's port, logged as `login`. */
function withIdentity(strict: StrictMode, handle: VaultHandler, accessLog: ((line: string) => void) | undefined): VaultHandler {
  return (request) => {
    const started = performance.now();
    const answer = strict.route(request);
    return answer === undefined ? handle(request) : logReply(accessLog, "login", request, started, answer);
  };
}

/** The admin routes, when on, ahead of the vault's. */
function withAdmin(admin: ReturnType<typeof createAdminRoute> | undefined, handle: VaultHandler): VaultHandler {
  return admin ? (request) => admin(request) ?? handle(request) : handle;
}

function urlHost(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      if (error.code === "EADDRINUSE") {
        reject(new UnavailableError(`Port ${port} on ${host} is already in use: stop the other server, or pick another --port (0 takes any free one).`));
      } else if (error.code === "EACCES") {
        reject(new UnavailableError(`No permission to listen on ${host}:${port}: use a port above 1023.`));
      } else {
        reject(new UnavailableError(`Cannot listen on ${host}:${port}: ${error.message}.`, { cause: error }));
      }
    };
    const onListening = () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host.replace(/^\[|\]$/g, ""));
  });
}

/**
 * Stops accepting; idle keep-alive connections close now, busy ones after their reply (which
 * carries `Connection: close`); whatever is still open after `graceMs` is cut.
 */
function stopListener(server: Server, graceMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
