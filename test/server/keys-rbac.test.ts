import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { CryptographyClient, KeyClient } from "@azure/keyvault-keys";
import { sdkClientOptions, startTestServer, type TestServer } from "../helpers/server.js";
import { addServicePrincipal, expectRbac, serverCredential } from "../helpers/strict.js";

/**
 * Keys RBAC in strict mode through the official KeyClient and CryptographyClient, each role's
 * token from the server's own token endpoint: representative routes per role, allowed or 403 with
 * the data action named. Expectations are Azure's role definitions (fact sheet §12), written out.
 */

type Op = "get" | "list" | "create" | "update" | "sign" | "wrap" | "delete" | "readPolicy" | "writePolicy" | "rotate" | "random";
const OPS: readonly Op[] = ["get", "list", "create", "update", "sign", "wrap", "readPolicy", "writePolicy", "rotate", "random", "delete"];

const ALLOWED: Record<string, readonly Op[]> = {
  "Key Vault Administrator": OPS,
  "Key Vault Crypto Officer": OPS.filter((op) => op !== "random"),
  "Key Vault Crypto User": ["get", "list", "update", "sign", "wrap"],
  "Key Vault Crypto Service Encryption User": ["get", "list", "wrap"],
  "Key Vault Crypto Service Release User": [],
  "Key Vault Reader": ["get", "list", "readPolicy"],
  "Key Vault Secrets Officer": [],
};

const ACTION: Record<Op, string> = {
  get: "keys/read",
  list: "keys/read",
  create: "keys/create/action",
  update: "keys/update/action",
  sign: "keys/sign/action",
  wrap: "keys/wrap/action",
  delete: "keys/delete",
  readPolicy: "keyrotationpolicies/read",
  writePolicy: "keyrotationpolicies/write",
  rotate: "keys/rotate/action",
  random: "rng/action",
};

describe("keys RBAC matrix through the official SDK (strict mode)", () => {
  let server: TestServer;
  const clients = new Map<string, { keys: KeyClient; crypto: (name: string) => CryptographyClient }>();

  before(async () => {
    server = await startTestServer({ auth: "strict" });
    const store = server.store().keys;
    for (const [index, role] of Object.keys(ALLOWED).entries()) {
      const p = addServicePrincipal(server, `app-${index}`, [role]);
      const credential = serverCredential(server, p.clientId, p.secret);
      const keys = new KeyClient(server.url, credential, sdkClientOptions(server.ca));
      clients.set(role, { keys, crypto: (name) => new CryptographyClient(`${server.url}/keys/${name}`, credential, sdkClientOptions(server.ca)) });
      await store.createKey(`r${index}-rsa`, { kty: "RSA", keySize: 2048 });
      await store.createKey(`r${index}-gone`, { kty: "EC" });
    }
  });
  after(async () => {
    await server?.close();
  });

  async function run(role: string, op: Op): Promise<unknown> {
    const { keys, crypto } = clients.get(role)!;
    const prefix = `r${Object.keys(ALLOWED).indexOf(role)}`;
    switch (op) {
      case "get":
        return keys.getKey(`${prefix}-rsa`);
      case "list":
        for await (const _ of keys.listPropertiesOfKeys()) break;
        return;
      case "create":
        return keys.createEcKey(`${prefix}-new`);
      case "update":
        return keys.updateKeyProperties(`${prefix}-rsa`, "", { tags: { t: "1" } });
      case "sign":
        return crypto(`${prefix}-rsa`).sign("RS256", createHash("sha256").update("x").digest());
      case "wrap":
        // RSA-OAEP-256 runs remotely (§9.4), so the server decides.
        return crypto(`${prefix}-rsa`).wrapKey("RSA-OAEP-256", Buffer.alloc(32, 1));
      case "delete":
        return keys.beginDeleteKey(`${prefix}-gone`, { intervalInMs: 20 }).then((p) => p.pollUntilDone());
      case "readPolicy":
        return keys.getKeyRotationPolicy(`${prefix}-rsa`);
      case "writePolicy":
        return keys.updateKeyRotationPolicy(`${prefix}-rsa`, { lifetimeActions: [{ action: "Notify", timeBeforeExpiry: "P30D" }], expiresIn: "P90D" });
      case "rotate":
        return keys.rotateKey(`${prefix}-rsa`);
      case "random":
        return keys.getRandomBytes(16);
    }
  }

  for (const role of Object.keys(ALLOWED)) {
    test(role, async () => {
      for (const op of OPS) {
        await expectRbac(`${role} ${op}`, ALLOWED[role]!.includes(op), `Microsoft.KeyVault/vaults/${ACTION[op]}`, () => run(role, op));
      }
    });
  }
});
