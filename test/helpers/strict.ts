import assert from "node:assert/strict";
import { ClientSecretCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { IdentityStore } from "../../src/server/identity/identity-store.js";
import { SERVER_TENANT } from "../../src/server/identity/token-service.js";
import { sdkClientOptions, type TestServer } from "./server.js";

/** A service principal added to a strict server's identity store, as `orbitra vault principal add` does, with roles. */
export function addServicePrincipal(server: TestServer, name: string, roles: string[] = []): { clientId: string; secret: string } {
  const identities = IdentityStore.open(server.dataDir);
  try {
    const { principal, secret } = identities.addPrincipal(name, "service-principal");
    for (const role of roles) identities.assignRole(principal.id, role, undefined);
    return { clientId: principal.id, secret: secret! };
  } finally {
    identities.close();
  }
}

/** The unmodified @azure/identity credential pointed at the server's token endpoint, trusting its CA. */
export function serverCredential(server: TestServer, clientId: string, secret: string): ClientSecretCredential {
  return new ClientSecretCredential(SERVER_TENANT, clientId, secret, {
    authorityHost: server.url,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: server.ca },
  } as ConstructorParameters<typeof ClientSecretCredential>[3]);
}

export function strictClient(server: TestServer, clientId: string, secret: string): SecretClient {
  return new SecretClient(server.url, serverCredential(server, clientId, secret), sdkClientOptions(server.ca));
}

/**
 * Runs one operation as a role: it must succeed when `allowed`, else fail with the 403 `Forbidden`
 * that names the full data action (the SDK's pager drops the body of a 403, so a list's refusal
 * is checked by its status only).
 */
export async function expectRbac(what: string, allowed: boolean, action: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
    assert.ok(allowed, `${what}: expected 403, got success`);
  } catch (error) {
    const e = error as { statusCode?: number; code?: string; message?: string };
    if (allowed) assert.fail(`${what}: expected success, got ${e.statusCode} ${e.message}`);
    assert.equal(e.statusCode, 403, `${what}: ${e.message}`);
    if (e.message?.startsWith("Pagination failed")) return;
    assert.equal(e.code, "Forbidden", what);
    assert.ok(e.message?.includes(`Action: '${action}'`), `${what}: ${e.message}`);
  }
}
