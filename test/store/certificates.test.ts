import assert from "node:assert/strict";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, it } from "node:test";
import { DatabaseSync as Database } from "node:sqlite";
import { readPfx } from "../../src/x509/index.js";
import { opensslDir, type OpensslDir } from "../helpers/openssl.js";
import { START_SECONDS, VaultFixture } from "./vault-fixture.js";

const DAY = 86_400;
const SELF = { issuer: { name: "Self" }, x509_props: { subject: "CN=dev.example", sans: { dns_names: ["localhost"] }, validity_months: 12 } };

function count(path: string, table: string): number {
  const db = new Database(path, { readOnly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("vault.certificates: create, the linked key and secret", () => {
  let f: VaultFixture;
  beforeEach(() => (f = new VaultFixture()));
  afterEach(() => f.dispose());

  it("its key and secret refuse set, update, delete and rotate on their own (403 ...ManagedByKeyVault); the certificate still changes them", async () => {
    await f.vault.certificates.createCertificate("owned", { policy: SELF });
    const refused = (code: string) => (error: unknown) => {
      const e = error as { code?: string; serviceCode?: string; statusCode?: number };
      assert.equal(e.code, "PermissionDenied");
      assert.equal(e.statusCode, 403);
      assert.equal(e.serviceCode, code);
      return true;
    };
    const before = f.vault.secrets.getSecret("owned").secret.version;
    assert.throws(() => f.vault.secrets.setSecret("owned", "mine now"), refused("SecretManagedByKeyVault"));
    assert.throws(() => f.vault.secrets.updateSecretProperties("owned", undefined, { enabled: false }), refused("SecretManagedByKeyVault"));
    assert.throws(() => f.vault.secrets.deleteSecret("owned"), refused("SecretManagedByKeyVault"));
    assert.throws(() => f.vault.keys.updateKeyProperties("owned", undefined, { enabled: false }), refused("KeyManagedByKeyVault"));
    assert.throws(() => f.vault.keys.deleteKey("owned"), refused("KeyManagedByKeyVault"));
    await assert.rejects(f.vault.keys.rotateKey("owned"), refused("KeyManagedByKeyVault"));
    await assert.rejects(f.vault.keys.createKey("owned", { kty: "EC" }), refused("KeyManagedByKeyVault"));
    // Nothing changed, and the certificate's own changes still reach both.
    assert.equal(f.vault.secrets.getSecret("owned").secret.version, before);
    assert.equal(f.vault.keys.listKeyVersions("owned").items.length, 1);
    f.vault.certificates.deleteCertificate("owned");
    assert.equal(f.vault.secrets.getDeletedSecret("owned").name, "owned");
    assert.equal(f.vault.keys.getDeletedKey("owned").name, "owned");
  });

  it("completes a Self create at once: one version id for certificate, key and secret; nbf/exp are the X.509 validity", async () => {
    const op = await f.vault.certificates.createCertificate("dev", { policy: SELF, tags: { team: "a" } });
    assert.equal(op.status, "completed");
    assert.equal(op.issuerName, "Self");
    assert.ok(op.csr && op.csr.length > 100);
    const cert = f.vault.certificates.getCertificate("dev");
    const x509 = new X509Certificate(cert.cer);
    assert.equal(cert.notBefore, Math.floor(new Date(x509.validFrom).getTime() / 1000));
    assert.equal(cert.expiresOn, Math.floor(new Date(x509.validTo).getTime() / 1000));
    assert.equal(cert.notBefore, START_SECONDS - 600);
    assert.deepEqual(cert.tags, { team: "a" });
    assert.equal(cert.policy.key_props.kty, "RSA");
    assert.equal(cert.policy.attributes.created, START_SECONDS);
    const key = f.vault.keys.getKey("dev");
    assert.equal(key.version, cert.version);
    assert.equal(key.managed, true);
    const { secret, value } = f.vault.secrets.getSecret("dev");
    assert.equal(secret.version, cert.version);
    assert.equal(secret.managed, true);
    assert.equal(secret.contentType, "application/x-pkcs12");
    const pfx = readPfx(Buffer.from(value.reveal(), "base64"));
    assert.equal(pfx.keys.length, 1);
    assert.deepEqual(pfx.certificates[0], cert.cer);
    assert.match(x509.subjectAltName ?? "", /DNS:localhost/);
  });

  it("writes PEM with the private key for application/x-pem-file, and leaves the key out when not exportable", async () => {
    await f.vault.certificates.createCertificate("pem", { policy: { ...SELF, secret_props: { contentType: "application/x-pem-file" } } });
    const pem = f.vault.secrets.getSecret("pem").value.reveal();
    assert.match(pem, /^-----BEGIN PRIVATE KEY-----[\s\S]+-----BEGIN CERTIFICATE-----/);
    createPrivateKey(pem);
    await f.vault.certificates.createCertificate("locked", {
      policy: { ...SELF, key_props: { exportable: false }, secret_props: { contentType: "application/x-pem-file" } },
    });
    const locked = f.vault.secrets.getSecret("locked").value.reveal();
    assert.doesNotMatch(locked, /PRIVATE KEY/);
    assert.equal(f.vault.keys.getKey("locked").exportable, false);
  });

  it("refuses an impossible policy with nothing written", async () => {
    await assert.rejects(f.vault.certificates.createCertificate("bad", { policy: { ...SELF, key_props: { kty: "RSA", key_size: 1000 } } }), {
      code: "InvalidValue",
      serviceCode: "BadParameter",
    });
    assert.equal(count(f.path, "certificates"), 0);
    assert.equal(count(f.path, "secrets"), 0);
  });

  it("refuses to take over a secret that no certificate wrote, and rolls back the key it had made", async () => {
    f.vault.secrets.setSecret("taken", "mine");
    await assert.rejects(f.vault.certificates.createCertificate("taken", { policy: SELF }), { code: "Conflict" });
    assert.throws(() => f.vault.keys.getKey("taken"), { code: "KeyNotFound" });
    assert.equal(count(f.path, "certificates"), 0);
    assert.equal(f.vault.secrets.getSecret("taken").value.reveal(), "mine");
  });

  it("adds a version per create and lists latest, versions, and pending ones with includePending", async () => {
    await f.vault.certificates.createCertificate("a", { policy: SELF });
    f.advanceSeconds(5);
    await f.vault.certificates.createCertificate("a", { policy: SELF });
    await f.vault.certificates.createCertificate("b", { policy: { ...SELF, issuer: { name: "Unknown" } } });
    assert.equal(f.vault.certificates.listCertificateVersions("a").items.length, 2);
    assert.deepEqual(f.vault.certificates.listCertificates().items.map((c) => c.name), ["a"]);
    const withPending = f.vault.certificates.listCertificates({ includePending: true }).items;
    assert.deepEqual(withPending.map((c) => [c.name, "pending" in c]), [["a", false], ["b", true]]);
    const page = f.vault.certificates.listCertificates({ includePending: true, limit: 1 });
    assert.equal(page.items.length, 1);
    assert.ok(page.next);
  });
});

describe("vault.certificates: the pending operation, CSR and merge", () => {
  let f: VaultFixture;
  let ssl: OpensslDir;
  beforeEach(() => {
    f = new VaultFixture();
    ssl = opensslDir();
  });
  afterEach(() => {
    f.dispose();
    ssl.close();
  });

  it("keeps an Unknown create pending with a CSR, merges a certificate signed outside (openssl), and completes", async () => {
    const op = await f.vault.certificates.createCertificate("ext", { policy: { ...SELF, issuer: { name: "Unknown" } } });
    assert.equal(op.status, "inProgress");
    assert.throws(() => f.vault.certificates.getCertificate("ext"), { code: "CertificateNotFound" });
    assert.throws(() => f.vault.keys.getKey("ext"), { code: "KeyNotFound" });
    ssl.write("req.der", op.csr!);
    ssl.run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Test CA", "-days", "30");
    ssl.run("x509", "-req", "-inform", "DER", "-in", "req.der", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "leaf.pem", "-days", "30", "-outform", "DER");
    const leaf = ssl.read("leaf.pem").toString("base64");
    const ca = new X509Certificate(readFileSync(ssl.path("ca.pem"))).raw.toString("base64");
    const merged = f.vault.certificates.mergeCertificate("ext", [leaf, ca]);
    assert.equal(merged.chain.length, 1);
    assert.equal(f.vault.certificates.getCertificateOperation("ext").status, "completed");
    assert.equal(f.vault.keys.getKey("ext").version, merged.version);
    const pfx = readPfx(Buffer.from(f.vault.secrets.getSecret("ext").value.reveal(), "base64"));
    assert.equal(pfx.certificates.length, 2);
    assert.throws(() => f.vault.certificates.mergeCertificate("ext", [leaf]), { code: "CertificateNotFound", message: "Pending certificate not found: ext" });
  });

  it("refuses a merge of a certificate for another key, and a second create while one is pending", async () => {
    await f.vault.certificates.createCertificate("ext", { policy: { ...SELF, issuer: { name: "Unknown" } } });
    ssl.run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "o.key", "-out", "o.pem", "-subj", "/CN=other", "-days", "30", "-outform", "DER");
    assert.throws(() => f.vault.certificates.mergeCertificate("ext", [ssl.read("o.pem").toString("base64")]), { serviceCode: "BadParameter" });
    await assert.rejects(f.vault.certificates.createCertificate("ext", { policy: SELF }), { code: "Conflict" });
    assert.equal(count(f.path, "certificate_versions"), 0);
  });

  it("cancels and deletes an operation", async () => {
    await f.vault.certificates.createCertificate("c", { policy: { ...SELF, issuer: { name: "Unknown" } } });
    const cancelled = f.vault.certificates.cancelCertificateOperation("c");
    assert.equal(cancelled.status, "cancelled");
    assert.equal(cancelled.cancellationRequested, true);
    assert.equal(f.vault.certificates.deleteCertificateOperation("c").status, "cancelled");
    assert.throws(() => f.vault.certificates.getCertificateOperation("c"), { code: "CertificateNotFound" });
  });
});

describe("vault.certificates: import, update, policy, lifecycle, backup", () => {
  let f: VaultFixture;
  let ssl: OpensslDir;
  beforeEach(() => {
    f = new VaultFixture();
    ssl = opensslDir();
    ssl.run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "k.pem", "-out", "c.pem", "-subj", "/CN=imported", "-days", "10");
  });
  afterEach(() => {
    f.dispose();
    ssl.close();
  });

  it("imports PEM and a password-protected PFX; a wrong password writes nothing", () => {
    const pem = ssl.read("k.pem").toString() + ssl.read("c.pem").toString();
    const fromPem = f.vault.certificates.importCertificate("p", { value: pem });
    assert.equal(fromPem.contentType, "application/x-pem-file");
    assert.equal(fromPem.policy.issuer.name, "Unknown");
    assert.equal(fromPem.policy.key_props.crv, "P-256");
    assert.equal(f.vault.keys.getKey("p").kty, "EC");
    ssl.run("pkcs12", "-export", "-inkey", "k.pem", "-in", "c.pem", "-out", "c.pfx", "-passout", "pass:test-pw");
    const pfx = ssl.read("c.pfx").toString("base64");
    assert.throws(() => f.vault.certificates.importCertificate("x", { value: pfx, password: "wrong" }), { serviceCode: "BadParameter" });
    assert.equal(count(f.path, "certificates"), 1);
    const fromPfx = f.vault.certificates.importCertificate("x", { value: pfx, password: "test-pw" });
    assert.equal(fromPfx.contentType, "application/x-pkcs12");
    assert.equal(fromPfx.x5t, fromPem.x5t);
  });

  it("updates enabled and tags on the certificate and enabled on its key and secret; a policy patch keeps the rest", async () => {
    const op = await f.vault.certificates.createCertificate("u", { policy: SELF });
    assert.equal(op.status, "completed");
    const updated = f.vault.certificates.updateCertificateProperties("u", undefined, { enabled: false, tags: { a: "b" } });
    assert.equal(updated.enabled, false);
    assert.equal(f.vault.keys.getKey("u").enabled, false);
    assert.throws(() => f.vault.secrets.getSecret("u"), { code: "PermissionDenied" });
    const policy = f.vault.certificates.updateCertificatePolicy("u", { x509_props: { validity_months: 6 } });
    assert.equal(policy.x509_props.validity_months, 6);
    assert.deepEqual(policy.x509_props.sans, { dns_names: ["localhost"] });
  });

  it("deletes, recovers and purges the certificate with its key and secret", async () => {
    await f.vault.certificates.createCertificate("d", { policy: SELF });
    const deleted = f.vault.certificates.deleteCertificate("d");
    assert.equal(deleted.scheduledPurgeDate, START_SECONDS + 90 * DAY);
    assert.throws(() => f.vault.keys.getKey("d"), { code: "KeyNotFound" });
    assert.equal(f.vault.secrets.getDeletedSecret("d").name, "d");
    f.vault.certificates.recoverDeletedCertificate("d");
    assert.equal(f.vault.keys.getKey("d").name, "d");
    assert.equal(f.vault.secrets.getSecret("d").secret.managed, true);
    f.vault.certificates.deleteCertificate("d");
    f.vault.certificates.purgeDeletedCertificate("d");
    for (const table of ["certificates", "secrets", "keys"]) assert.equal(count(f.path, table), 0, table);
  });

  it("backs up and restores every version with the same ids, key and secret included", async () => {
    await f.vault.certificates.createCertificate("b", { policy: SELF });
    await f.vault.certificates.createCertificate("b", { policy: SELF });
    const versions = f.vault.certificates.listCertificateVersions("b").items.map((c) => c.version);
    const blob = f.vault.certificates.backupCertificate("b");
    assert.throws(() => f.vault.certificates.restoreCertificateBackup(blob), { code: "Conflict" });
    f.vault.certificates.deleteCertificate("b");
    f.vault.certificates.purgeDeletedCertificate("b");
    const restored = f.vault.certificates.restoreCertificateBackup(blob);
    assert.equal(restored.version, versions[1]);
    assert.deepEqual(f.vault.certificates.listCertificateVersions("b").items.map((c) => c.version), versions);
    assert.equal(f.vault.keys.getKey("b").version, versions[1]);
    assert.equal(f.vault.secrets.getSecret("b").secret.version, versions[1]);
    const damaged = Buffer.from(blob);
    damaged[damaged.length - 1]! ^= 1;
    assert.throws(() => f.vault.certificates.restoreCertificateBackup(damaged), { serviceCode: "Malformed backup blob" });
  });

  it("renews on the store's clock when AutoRenew falls due, with a new key unless reuse_key", async () => {
    await f.vault.certificates.createCertificate("r", { policy: { ...SELF, lifetime_actions: [{ trigger: { days_before_expiry: 30 }, action: { action_type: "AutoRenew" } }] } });
    const first = f.vault.certificates.getCertificate("r");
    assert.deepEqual(await f.vault.certificates.renewDue(), []);
    f.now = (first.expiresOn - 29 * DAY) * 1000;
    const renewed = await f.vault.certificates.renewDue();
    assert.equal(renewed.length, 1);
    assert.notEqual(renewed[0]!.version, first.version);
    assert.notDeepEqual(f.vault.keys.getKey("r").publicJwk, f.vault.keys.getKey("r", first.version).publicJwk);
    assert.deepEqual(await f.vault.certificates.renewDue(), []);
  });

  it("keeps contacts and issuers, never answering an issuer's password", () => {
    assert.equal(f.vault.certificates.issuers.getContacts(), undefined);
    f.vault.certificates.issuers.setContacts([{ email: "a@example.com", name: "A" }]);
    assert.deepEqual(f.vault.certificates.issuers.getContacts(), [{ email: "a@example.com", name: "A" }]);
    const issuer = f.vault.certificates.issuers.setIssuer("ca1", { provider: "Test", credentials: { account_id: "acc", pwd: "issuer-pw-canary" } });
    assert.equal(issuer.hasPassword, true);
    assert.doesNotMatch(JSON.stringify(f.vault.certificates.issuers.listIssuers()), /issuer-pw-canary/);
    assert.equal(f.vault.certificates.issuers.setIssuer("ca1", { provider: "Other" }, true).accountId, "acc");
    f.vault.certificates.issuers.deleteIssuer("ca1");
    assert.throws(() => f.vault.certificates.issuers.getIssuer("ca1"), { code: "CertificateNotFound" });
  });
});
