import { join } from "node:path";
import { startTestServer } from "../helpers/server.js";
import { runKeysCli } from "./keys-suite.js";

runKeysCli("local environment", async (home) => ({
  env: { ORBITRA_HOME: home, ORBITRA_KEY_VAULT_LOCALKEYS: `local:${join(home, "keys.db")}` },
  environment: "localkeys",
  close: async () => {},
}));

// The same commands through the Key Vault backend (official SDK) to `orbitra vault serve`.
runKeysCli("a served vault", async (home) => {
  const server = await startTestServer();
  return {
    env: { ORBITRA_HOME: home, ORBITRA_KEY_VAULT_DEV: server.url, ORBITRA_CA_FILE_DEV: server.caFile },
    environment: "dev",
    close: () => server.close(),
  };
});
