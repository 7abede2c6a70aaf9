import assert from "node:assert/strict";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { mkdtempSync, rmSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startVaultServer, type ServedProxy, type ServedVault, type VaultServerOptions } from "../../src/server/serve.js";
import type { LocalVault } from "../../src/store/local-vault.js";

export interface TestServer {
  /** The first vault's URL, `https://127.0.0.1:PORT`. */
  url: string;
  /** PEM of the generated CA. */
  ca: string;
  caFile: string;
  dataDir: string;
  /** Every vault served, in --vault order. */
  vaults: ServedVault[];
  /** With `proxy`: its URL and the child environment it prints. */
  proxy?: ServedProxy;
  /** A vault's store (default: the first), to inspect or seed it in-process. */
  store(name?: string): LocalVault;
  /** Stops the server; removes the data folder when this helper made it. */
  close(): Promise<void>;
}

/**
 * `orbitra vault serve` in-process on 127.0.0.1, free port(s), a fresh temp data folder (unless
 * `dataDir` is given), no access log, and ORBITRA_VAULT_KEY from the caller's shell ignored.
 */
export async function startTestServer(options: Partial<VaultServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "orbitra-server-"));
  const running = await startVaultServer({ host: "127.0.0.1", port: 0, env: {}, ...options, dataDir });
  return {
    url: running.vaults[0]!.url,
    ca: running.ca,
    caFile: running.caFile,
    dataDir,
    vaults: running.vaults,
    ...(running.proxy ? { proxy: running.proxy } : {}),
    store: (name) => running.store(name),
    async close() {
      await running.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Any token will do for an open-mode server: a fixed opaque string, valid for an hour. */
export const credential: TokenCredential = {
  async getToken(): Promise<AccessToken> {
    return { token: "orbitra-test-token", expiresOnTimestamp: Date.now() + 3600_000 };
  },
};

/** The same stub under the name the first tests used. */
export const testCredential = credential;

/** What the official SDK needs to talk to our server: trust its CA, accept a non-Azure host, retry fast. */
export function sdkClientOptions(ca: string | Buffer) {
  return {
    tlsOptions: { ca },
    disableChallengeResourceVerification: true,
    retryOptions: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 100 },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTPS request with node:https, for what the SDK would never send (bad api-versions, odd
 * headers, raw bodies). `headers` values may be arrays to repeat a header; `servername` sets SNI.
 */
export function rawRequest(
  baseUrl: string,
  ca: string,
  request: { method?: string; path: string; headers?: Record<string, string | string[]>; body?: string | Buffer; servername?: string },
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port,
        method: request.method ?? "GET",
        path: request.path,
        headers: request.headers ?? {},
        ca,
        agent: false,
        ...(request.servername ? { servername: request.servername } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(request.body);
  });
}

/** A form POST (the token endpoint's shape) to the server, as MSAL sends one. */
export function postForm(server: { url: string; ca: string }, path: string, form: Record<string, string>): Promise<RawResponse> {
  return rawRequest(server.url, server.ca, {
    method: "POST",
    path,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
}

/**
 * Key Vault's error envelope on a reply: status < 500, and for an error the JSON content type,
 * `{"error":{"code":string,"message":string}}` and none of `secrets` (stored values) in the body.
 */
export function assertEnvelope(status: number, contentType: string | null | undefined, body: string, what: string, secrets: readonly string[] = []): void {
  assert.ok(status < 500, `${what}: status ${status} ${body.slice(0, 200)}`);
  if (status < 400) return;
  for (const secret of secrets) assert.ok(!body.includes(secret), `${what}: a value leaked into an error`);
  assert.equal(contentType, "application/json; charset=utf-8", what);
  const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
  assert.equal(typeof parsed.error?.code, "string", what);
  assert.equal(typeof parsed.error?.message, "string", what);
}
