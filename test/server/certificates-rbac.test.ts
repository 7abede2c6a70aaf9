import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CertificateClient } from "@azure/keyvault-certificates";
import { SecretClient } from "@azure/keyvault-secrets";
import { BUILT_IN_ROLES, findRole, roleGrants } from "../../src/server/identity/roles.js";
import { matchRoute } from "../../src/server/routes/table.js";
import { sdkClientOptions, startTestServer, type TestServer } from "../helpers/server.js";
import { addServicePrincipal, serverCredential } from "../helpers/strict.js";

// Certificates RBAC: which built-in role may run which certificates operation, written out from
// Azure's role definitions (docs/keyvault-wire.md §12) rather than computed from our role table,
// then the two certificate roles end to end through the official SDK on a strict server.

const V = "0".repeat(32);
/** [method, path, SDK operation]. */
const ROUTES: [string, string, string][] = [
  ["POST", "/certificates/c/create", "beginCreateCertificate"],
  ["GET", "/certificates/c/pending", "getCertificateOperation"],
  ["PATCH", "/certificates/c/pending", "cancelCertificateOperation"],
  ["DELETE", "/certificates/c/pending", "deleteCertificateOperation"],
  ["POST", "/certificates/c/pending/merge", "mergeCertificate"],
  ["GET", "/certificates/c/", "getCertificate"],
  ["GET", `/certificates/c/${V}`, "getCertificate"],
  ["PATCH", `/certificates/c/${V}`, "updateCertificateProperties"],
  ["GET", "/certificates/c/policy", "getCertificatePolicy"],
  ["PATCH", "/certificates/c/policy", "updateCertificatePolicy"],
  ["POST", "/certificates/c/import", "importCertificate"],
  ["GET", "/certificates", "listPropertiesOfCertificates"],
  ["GET", "/certificates/c/versions", "listPropertiesOfCertificateVersions"],
  ["DELETE", "/certificates/c", "beginDeleteCertificate"],
  ["GET", "/deletedcertificates", "listDeletedCertificates"],
  ["GET", "/deletedcertificates/c", "getDeletedCertificate"],
  ["DELETE", "/deletedcertificates/c", "purgeDeletedCertificate"],
  ["POST", "/deletedcertificates/c/recover", "beginRecoverDeletedCertificate"],
  ["POST", "/certificates/c/backup", "backupCertificate"],
  ["POST", "/certificates/restore", "restoreCertificateBackup"],
  ["GET", "/certificates/contacts", "getContacts"],
  ["PUT", "/certificates/contacts", "setContacts"],
  ["DELETE", "/certificates/contacts", "deleteContacts"],
  ["GET", "/certificates/issuers", "listPropertiesOfIssuers"],
  ["GET", "/certificates/issuers/i", "getIssuer"],
  ["PUT", "/certificates/issuers/i", "createIssuer"],
  ["PATCH", "/certificates/issuers/i", "updateIssuer"],
  ["DELETE", "/certificates/issuers/i", "deleteIssuer"],
];

const ALL = [...new Set(ROUTES.map((r) => r[2]))];
const READS = ["getCertificateOperation", "getCertificate", "getCertificatePolicy", "listPropertiesOfCertificates", "listPropertiesOfCertificateVersions", "listDeletedCertificates", "getDeletedCertificate"];
const ISSUER_READS = ["listPropertiesOfIssuers", "getIssuer"];

/** Azure's definitions: Officer has certificates/*, certificatecas/*, certificatecontacts/write; `vaults/*\/read` covers every read. */
const ALLOWED: Record<string, readonly string[]> = {
  "Key Vault Administrator": ALL,
  "Key Vault Certificates Officer": ALL.filter((op) => op !== "getContacts"),
  "Key Vault Certificate User": READS,
  "Key Vault Reader": [...READS, ...ISSUER_READS, "getContacts"],
  "Key Vault Secrets Officer": [],
  "Key Vault Secrets User": [],
  "Key Vault Crypto Officer": [],
  "Key Vault Crypto User": [],
  "Key Vault Crypto Service Encryption User": [],
  "Key Vault Crypto Service Release User": [],
  "Key Vault Contributor": [],
  "Key Vault Data Access Administrator": [],
};

describe("certificates data actions per built-in role", () => {
  test("every route names its SDK operation", () => {
    for (const [method, path, op] of ROUTES) assert.equal(matchRoute(method, path.split("/").slice(1)).operation.name, op, `${method} ${path}`);
  });
  test("every built-in role is in the matrix", () => {
    assert.deepEqual(BUILT_IN_ROLES.map((r) => r.name).sort(), Object.keys(ALLOWED).sort());
  });
  for (const [roleName, allowed] of Object.entries(ALLOWED)) {
    test(roleName, () => {
      const role = findRole(roleName)!;
      for (const [method, path, op] of ROUTES) {
        const action = matchRoute(method, path.split("/").slice(1)).operation.action;
        assert.equal(roleGrants(role, action), allowed.includes(op), `${roleName} on ${op} (${action})`);
      }
    });
  }
});

describe("certificate roles through the official SDK on a strict server", () => {
  let server: TestServer;
  const poll = { intervalInMs: 20 };

  before(async () => {
    server = await startTestServer({ auth: "strict" });
    await server.store().certificates.createCertificate("seeded", { policy: { issuer: { name: "Self" }, x509_props: { subject: "CN=seeded" } } });
  });
  after(async () => server?.close());

  function clients(role: string) {
    const p = addServicePrincipal(server, role.replace(/\W+/g, "-"), [role]);
    const credential = serverCredential(server, p.clientId, p.secret);
    return { certificates: new CertificateClient(server.url, credential, sdkClientOptions(server.ca)), secrets: new SecretClient(server.url, credential, sdkClientOptions(server.ca)) };
  }

  test("a Certificate User reads the certificate and its secret, and may not create", async () => {
    const { certificates, secrets } = clients("Key Vault Certificate User");
    assert.equal((await certificates.getCertificate("seeded")).name, "seeded");
    assert.ok((await secrets.getSecret("seeded")).value);
    await assert.rejects(certificates.beginCreateCertificate("denied", { issuerName: "Self", subject: "CN=x" }, poll), { statusCode: 403 });
  });

  test("a Certificates Officer creates and deletes, and may not read the secret's value", async () => {
    const { certificates, secrets } = clients("Key Vault Certificates Officer");
    await (await certificates.beginCreateCertificate("officer", { issuerName: "Self", subject: "CN=officer" }, poll)).pollUntilDone();
    await assert.rejects(secrets.getSecret("officer"), { statusCode: 403 });
    await (await certificates.beginDeleteCertificate("officer", poll)).pollUntilDone();
  });
});
