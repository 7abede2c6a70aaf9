import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { SecretClient } from "@azure/keyvault-secrets";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { addServicePrincipal, expectRbac, strictClient } from "../helpers/strict.js";

/**
 * The RBAC matrix: every built-in role that touches secrets (and two that do not) against every
 * secrets operation, through the official SecretClient with @azure/identity's
 * ClientSecretCredential getting its token from the strict server. The expectations are written
 * out from Azure's role definitions (docs/keyvault-wire.md §12), not computed from our role table.
 */

const poll = { intervalInMs: 20 };

type Op =
  | "get"
  | "list"
  | "versions"
  | "set"
  | "update"
  | "delete"
  | "getDeleted"
  | "listDeleted"
  | "recover"
  | "purge"
  | "backup"
  | "restore";

const OPS: readonly Op[] = ["get", "list", "versions", "set", "update", "delete", "getDeleted", "listDeleted", "recover", "purge", "backup", "restore"];
const READ_METADATA: Op[] = ["list", "versions", "getDeleted", "listDeleted"];

/** Which operations each role may run; every other operation must be a 403. */
const ALLOWED: Record<string, readonly Op[]> = {
  "Key Vault Administrator": OPS,
  "Key Vault Secrets Officer": OPS,
  "Key Vault Secrets User": ["get", ...READ_METADATA],
  "Key Vault Certificate User": ["get", ...READ_METADATA],
  "Key Vault Reader": READ_METADATA,
  "Key Vault Crypto Officer": [],
  "Key Vault Contributor": [],
};

const ACTION: Record<Op, string> = {
  get: "getSecret/action",
  list: "readMetadata/action",
  versions: "readMetadata/action",
  set: "setSecret/action",
  update: "update/action",
  delete: "delete",
  getDeleted: "readMetadata/action",
  listDeleted: "readMetadata/action",
  recover: "recover/action",
  purge: "purge/action",
  backup: "backup/action",
  restore: "restore/action",
};

async function drain<T>(iterable: AsyncIterable<T>): Promise<number> {
  let n = 0;
  for await (const _ of iterable) n++;
  return n;
}

describe("RBAC matrix through the official SDK", () => {
  let server: TestServer;
  const clients = new Map<string, SecretClient>();
  const backups = new Map<string, Uint8Array>();

  before(async () => {
    server = await startTestServer({ auth: "strict" });
    const store = server.store();
    for (const [index, role] of Object.keys(ALLOWED).entries()) {
      const p = addServicePrincipal(server, `app-${index}`, [role]);
      clients.set(role, strictClient(server, p.clientId, p.secret));
      const prefix = `r${index}`;
      store.setSecret(`${prefix}-val`, "value");
      store.setSecret(`${prefix}-gone`, "value");
      for (const name of [`${prefix}-del`, `${prefix}-purge`]) {
        store.setSecret(name, "value");
        store.deleteSecret(name);
      }
      store.setSecret(`${prefix}-rest`, "value");
      backups.set(role, store.backupSecret(`${prefix}-rest`));
      store.deleteSecret(`${prefix}-rest`);
      store.purgeDeletedSecret(`${prefix}-rest`);
    }
  });
  after(async () => {
    await server?.close();
  });

  function run(role: string, op: Op): Promise<unknown> {
    const client = clients.get(role)!;
    const prefix = `r${Object.keys(ALLOWED).indexOf(role)}`;
    switch (op) {
      case "get":
        return client.getSecret(`${prefix}-val`);
      case "list":
        return drain(client.listPropertiesOfSecrets());
      case "versions":
        return drain(client.listPropertiesOfSecretVersions(`${prefix}-val`));
      case "set":
        return client.setSecret(`${prefix}-new`, "value");
      case "update":
        return client.updateSecretProperties(`${prefix}-val`, "", { tags: { t: "1" } });
      case "delete":
        return client.beginDeleteSecret(`${prefix}-gone`, poll).then((p) => p.pollUntilDone());
      case "getDeleted":
        return client.getDeletedSecret(`${prefix}-del`);
      case "listDeleted":
        return drain(client.listDeletedSecrets());
      case "recover":
        return client.beginRecoverDeletedSecret(`${prefix}-del`, poll).then((p) => p.pollUntilDone());
      case "purge":
        return client.purgeDeletedSecret(`${prefix}-purge`);
      case "backup":
        return client.backupSecret(`${prefix}-val`);
      case "restore":
        return client.restoreSecretBackup(backups.get(role)!);
    }
  }

  for (const role of Object.keys(ALLOWED)) {
    test(role, async () => {
      // getDeleted runs before recover, which takes the same secret out of the deleted list.
      for (const op of OPS) {
        await expectRbac(`${role} ${op}`, ALLOWED[role]!.includes(op), `Microsoft.KeyVault/vaults/secrets/${ACTION[op]}`, () => run(role, op));
      }
    });
  }

  test("a principal without any assignment is refused, and an assignment counts at once", async () => {
    const p = addServicePrincipal(server, "late");
    const client = strictClient(server, p.clientId, p.secret);
    await assert.rejects(client.getSecret("r0-val"), (e: { statusCode?: number }) => e.statusCode === 403);
    const { IdentityStore } = await import("../../src/server/identity/identity-store.js");
    const identities = IdentityStore.open(server.dataDir);
    try {
      identities.assignRole(p.clientId, "Key Vault Secrets User", "default");
      assert.equal((await client.getSecret("r0-val")).value, "value");
      identities.assignRole(p.clientId, "Key Vault Secrets Officer", "other-vault");
      await assert.rejects(client.setSecret("late", "x"), (e: { statusCode?: number }) => e.statusCode === 403);
    } finally {
      identities.close();
    }
  });

  test("a wrong client secret gets no token", async () => {
    const p = addServicePrincipal(server, "wrong", ["Key Vault Administrator"]);
    const client = strictClient(server, p.clientId, `${p.secret}x`);
    await assert.rejects(client.getSecret("r0-val"), /AADSTS7000215/);
  });
});
