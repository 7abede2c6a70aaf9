import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startVaultServer, type VaultServerOptions } from "../../src/server/serve.js";

export interface TestServer {
  url: string;
  /** PEM of the generated CA. */
  ca: string;
  caFile: string;
  dataDir: string;
  close(): Promise<void>;
}

/** `orbitra vault serve` in-process on 127.0.0.1, a free port, a fresh temp data folder. */
export async function startTestServer(options: Partial<VaultServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "orbitra-server-"));
  const running = await startVaultServer({ port: 0, ...options, dataDir });
  return {
    url: running.vaults[0]!.url,
    ca: running.ca,
    caFile: running.caFile,
    dataDir,
    async close() {
      await running.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Any token will do for an open-mode server; this one is a fixed opaque string. */
export const testCredential: TokenCredential = {
  async getToken(): Promise<AccessToken> {
    return { token: "test-token", expiresOnTimestamp: Date.now() + 3600_000 };
  },
};

/** What the official SDK needs to talk to our server: trust its CA, accept a non-Azure host. */
export function sdkClientOptions(ca: string) {
  return {
    tlsOptions: { ca },
    disableChallengeResourceVerification: true,
    retryOptions: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 100 },
  };
}
