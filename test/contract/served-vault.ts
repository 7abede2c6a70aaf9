import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestServer } from "../helpers/server.js";

export interface ServedEnvironment {
  /** What a client of environment `dev` is given: `cwd` and `env` naming the served vault and its CA. */
  where: { environment: "dev"; cwd: string; env: NodeJS.ProcessEnv };
  close(): Promise<void>;
}

/**
 * `orbitra vault serve` in-process, reached the way a user would: settings name it as environment
 * `dev` with the CA file it printed, so a client goes settings -> Key Vault backend -> official SDK
 * -> HTTPS -> the server.
 */
export async function servedEnvironment(): Promise<ServedEnvironment> {
  const server = await startTestServer();
  const home = mkdtempSync(join(tmpdir(), "orbitra-contract-kv-"));
  const caFile = join(home, "ca.pem");
  writeFileSync(caFile, server.ca);
  return {
    where: { environment: "dev", cwd: home, env: { ORBITRA_HOME: home, ORBITRA_KEY_VAULT_DEV: server.url, ORBITRA_CA_FILE_DEV: caFile } },
    async close() {
      await server.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
