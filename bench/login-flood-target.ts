// One side of bench/login-flood.ts, in its own process.
//   server THROTTLE DIR  a strict-mode server (THROTTLE "on": the defaults; "off": buckets so large
//                        they never empty, i.e. only the hash is off the event loop), one secret and
//                        a reader principal; sends {url, ca, clientId, secret} over IPC.
//   flood URL CA RATE    RATE bad client-secret logins per second (random unknown client ids), until killed.
import { randomUUID } from "node:crypto";
import { request, Agent } from "node:https";
import { IdentityStore } from "../src/server/identity/identity-store.js";
import { SERVER_TENANT } from "../src/server/identity/token-service.js";
import { startVaultServer } from "../src/server/serve.js";

const [mode, ...args] = process.argv.slice(2);

if (mode === "server") {
  const [throttle, dataDir] = args as [string, string];
  const identities = IdentityStore.open(dataDir);
  const { principal, secret } = identities.addPrincipal("bench", "service-principal");
  identities.assignRole(principal.id, "Key Vault Secrets User", undefined);
  identities.close();
  const never = { burst: 1e9, refillSeconds: 1 };
  const running = await startVaultServer({
    dataDir,
    port: 0,
    env: {},
    auth: "strict",
    ...(throttle === "off" ? { strict: { throttle: { perClient: never, perSource: never } } } : {}),
  });
  running.store().setSecret("bench-secret", "x".repeat(32));
  process.send!({ url: running.vaults[0]!.url, ca: running.ca, clientId: principal.id, secret });
  process.on("message", (m) => {
    if (m === "exit") void running.close().then(() => process.exit(0));
  });
} else if (mode === "flood") {
  const [url, ca, rate] = args as [string, string, string];
  const { hostname, port } = new URL(url);
  // Each login on its own connection, as credential-stuffing tools do; keep-alive would only make it cheaper for us.
  const agent = new Agent({ ca, keepAlive: false });
  const body = () => new URLSearchParams({ grant_type: "client_credentials", client_id: randomUUID(), client_secret: "wrong", scope: "https://vault.azure.net/.default" }).toString();
  setInterval(() => {
    const req = request({ host: hostname, port, method: "POST", path: `/${SERVER_TENANT}/oauth2/v2.0/token`, agent, headers: { "content-type": "application/x-www-form-urlencoded" } }, (res) => res.resume());
    req.on("error", () => {});
    req.end(body());
  }, 1000 / Number(rate));
}
