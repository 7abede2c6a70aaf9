import type { TokenCredential } from "@azure/core-auth";
import { openModeCredential } from "../auth/open-mode-credential.js";
import { randomBytes } from "node:crypto";
import { KeyVaultBackend } from "../backends/keyvault-backend.js";
import { OrbitraSecretsClient, type OrbitraSecretsClientOptions } from "../client/secrets-client.js";
import { ADMIN_PREFIX, ADMIN_TOKEN_HEADER } from "../server/admin.js";
import { clearFaults, type FaultOptions } from "../server/faults.js";
import { MovableClock } from "../server/movable-clock.js";
import { seedVault, type SeedSpec } from "../server/seed.js";
import { startVaultServer } from "../server/serve.js";
import type { LocalVault } from "../store/local-vault.js";
import { readSeedFile } from "./seed-file.js";
import { makeTempFolder, removeTempFolder } from "./temp-folder.js";

export interface StartLocalVaultOptions {
  /** The vault's name (Key Vault's rules). Default "default"; with the proxy, `https://NAME.vault.azure.net`. */
  name?: string;
  /** Data folder to use and keep; default a fresh temporary one, removed on close and at exit. */
  dataDir?: string;
  /** Also a loopback CONNECT proxy, so clients with default options reach `azureUrl` (see `env`). */
  proxy?: boolean;
  /** Secrets to write before the vault is handed out: an object, or a file in `secrets export` formats. */
  seed?: SeedSpec | string;
  /** Where the vault's clock starts; default now. */
  now?: Date | number | string;
  /** Days a deleted secret stays recoverable (Key Vault: 7-90; default 90). */
  recoverableDays?: number;
  /** One line per request (never a value), e.g. `console.error`. Default none. */
  accessLog?: (line: string) => void;
}

export interface ThrottleOptions {
  /** Share of requests (0..1) refused; default 1. */
  rate?: number;
  status?: 429 | 503;
  /** Seconds in Retry-After; default 1 (0 makes the SDK retry at once). */
  retryAfter?: number;
}

export interface LocalVaultFaults {
  throttle(options?: ThrottleOptions): void;
  /** Milliseconds added to every request (0 for none). */
  latency(ms: number): void;
  /** The next `count` authenticated requests fail with `status` (default 500), then none. */
  failNext(count: number, status?: number): void;
  clear(): void;
}

export interface LocalVaultClock {
  /** The vault's time now. */
  now(): Date;
  /** `advance("30d")`, `advance("12h")`, `advance(1500)` (ms). Returns the new time. */
  advance(by: number | string): Date;
  set(to: Date | number | string): Date;
  /** Back to the real time. */
  reset(): void;
}

export interface RunningLocalVault extends AsyncDisposable {
  name: string;
  /** `https://127.0.0.1:PORT`: pass to `SecretClient` with {@link clientOptions}. */
  url: string;
  /** With `proxy: true`: `https://NAME.vault.azure.net`, for processes started with {@link env} (through the proxy, default SDK options). */
  azureUrl?: string;
  /**
   * For a child process (tests in another language): `AZURE_KEYVAULT_URL`, `NODE_EXTRA_CA_CERTS`,
   * `ORBITRA_ADMIN_URL`, `ORBITRA_ADMIN_TOKEN`, and with the proxy its variables (HTTPS_PROXY, CA
   * variables, a throwaway client id and secret).
   */
  env: Record<string, string>;
  ca: string;
  caFile: string;
  dataDir: string;
  /** Accepted by this vault (open mode: any bearer token). */
  credential: TokenCredential;
  /** What an official SDK client needs: `new SecretClient(vault.url, vault.credential, vault.clientOptions)`. */
  clientOptions: { tlsOptions: { ca: string }; disableChallengeResourceVerification: true };
  /** An orbitra client on this vault, through the official SDK as for any server. */
  secretsClient(options?: OrbitraSecretsClientOptions): OrbitraSecretsClient;
  clock: LocalVaultClock;
  faults: LocalVaultFaults;
  /** `{ secrets: { name: value | { value, contentType, tags, enabled, expiresOn, notBefore } } }`, or a file path. */
  seed(spec: SeedSpec | string): string[];
  /** Deletes every secret (live and deleted) in one transaction, clears the faults and resets the clock. */
  reset(): void;
  /** The `/_orbitra/` admin routes over HTTP: send `token` in the `x-orbitra-admin-token` header. */
  admin: { url: string; token: string; header: string };
  /** The store underneath, for checks a test wants to make without HTTP. */
  store: LocalVault;
  /** Stops the server and removes the temporary data folder. Idempotent. */
  close(): Promise<void>;
}

/** Open mode takes any bearer token. */
const anyToken: TokenCredential = openModeCredential();

/**
 * A local Key Vault inside the test process: the same server as `orbitra vault serve` on a free
 * loopback port, over a fresh temporary folder. `await using vault = await startLocalVault()`.
 */
export async function startLocalVault(options: StartLocalVaultOptions = {}): Promise<RunningLocalVault> {
  const ownFolder = options.dataDir === undefined;
  const dataDir = options.dataDir ?? makeTempFolder();
  const clock = new MovableClock();
  if (options.now !== undefined) clock.set(options.now);
  const token = randomBytes(24).toString("base64url");
  const faultState: FaultOptions = {};
  let running;
  try {
    running = await startVaultServer({
      dataDir,
      host: "127.0.0.1",
      port: 0,
      // The caller's ORBITRA_VAULT_KEY must not decide a throwaway vault's key.
      env: {},
      faults: faultState,
      admin: { token, clock },
      closeGraceMs: 1000,
      ...(options.name ? { vaults: [options.name] } : {}),
      ...(options.proxy ? { proxy: {} } : {}),
      ...(options.recoverableDays !== undefined ? { recoverableDays: options.recoverableDays } : {}),
      ...(options.accessLog ? { accessLog: options.accessLog } : {}),
    });
  } catch (error) {
    if (ownFolder) removeTempFolder(dataDir);
    throw error;
  }
  const server = running;
  const served = server.vaults[0]!;
  const store = server.store();
  const seed = (spec: SeedSpec | string) => seedVault(store, typeof spec === "string" ? readSeedFile(spec) : spec);
  if (options.seed !== undefined) {
    try {
      seed(options.seed);
    } catch (error) {
      await server.close();
      if (ownFolder) removeTempFolder(dataDir);
      throw error;
    }
  }
  // For `url`, with or without the proxy: behind a proxy option the SDK drops tlsOptions (it says
  // so in its log), so in-process clients go direct and `azureUrl` is for processes started with `env`.
  const clientOptions: RunningLocalVault["clientOptions"] = { tlsOptions: { ca: server.ca }, disableChallengeResourceVerification: true };
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= server.close().then(() => {
      if (ownFolder) removeTempFolder(dataDir);
    }));
  return {
    name: served.name,
    url: served.url,
    ...(served.azureUrl ? { azureUrl: served.azureUrl } : {}),
    env: {
      ...server.proxy?.env,
      AZURE_KEYVAULT_URL: served.azureUrl ?? served.url,
      NODE_EXTRA_CA_CERTS: server.caFile,
      ORBITRA_ADMIN_URL: `${served.url}${ADMIN_PREFIX}`,
      ORBITRA_ADMIN_TOKEN: token,
    },
    ca: server.ca,
    caFile: server.caFile,
    dataDir,
    credential: anyToken,
    clientOptions,
    secretsClient: (clientOptionsForOrbitra) =>
      new OrbitraSecretsClient(
        { kind: "server", environment: "testing", vaultUrl: served.url, caFile: server.caFile },
        () => KeyVaultBackend.create({ vaultUrl: served.url, credential: anyToken, ca: server.ca, disableChallengeResourceVerification: true, pollIntervalMs: 10 }),
        clientOptionsForOrbitra,
      ),
    clock: {
      now: () => new Date(clock.now()),
      advance: (by) => clock.advance(by),
      set: (to) => clock.set(to),
      reset: () => clock.reset(),
    },
    faults: {
      throttle({ rate = 1, status = 429, retryAfter = 1 } = {}) {
        Object.assign(faultState, { throttleRate: rate, throttleStatus: status, retryAfterSeconds: retryAfter });
      },
      latency(ms) {
        faultState.latencyMs = ms;
      },
      failNext(count, status = 500) {
        Object.assign(faultState, { failNext: count, failStatus: status });
      },
      clear: () => clearFaults(faultState),
    },
    seed,
    reset() {
      store.deleteEverything();
      clearFaults(faultState);
      clock.reset();
      if (options.now !== undefined) clock.set(options.now);
    },
    admin: { url: `${served.url}${ADMIN_PREFIX}`, token, header: ADMIN_TOKEN_HEADER },
    store,
    close,
    [Symbol.asyncDispose]: close,
  };
}
