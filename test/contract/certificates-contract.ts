import assert from "node:assert/strict";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { once } from "node:events";
import { createServer, request } from "node:https";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { OrbitraCertificatesClient } from "../../src/client/certificates-client.js";
import { readPfx } from "../../src/x509/index.js";
import { opensslDir, type OpensslDir } from "../helpers/openssl.js";

export interface CertificatesContractFixture {
  client: OrbitraCertificatesClient;
  cleanup(): Promise<void>;
}

const TLS_POLICY = { x509_props: { subject: "CN=localhost", sans: { dns_names: ["localhost"], ipAddresses: ["127.0.0.1"] }, validity_months: 2 } };

/** GETs `/` of a loopback HTTPS server, trusting only `ca`. */
async function fetchWith(port: number, ca: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/", ca, servername: "localhost" }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    req.end();
  });
}

/**
 * The certificates client's semantics, written once and run against the local store in-process
 * and the Key Vault backend (official SDK) through `orbitra vault serve`.
 */
export function runCertificatesContract(label: string, setup: () => Promise<CertificatesContractFixture>): void {
  describe(`certificates contract: ${label}`, () => {
    let fixture: CertificatesContractFixture;
    let ssl: OpensslDir;
    let n = 0;
    const fresh = (stem: string) => `${stem}-${++n}-${Math.random().toString(16).slice(2, 8)}`;
    const client = () => fixture.client;

    before(async () => {
      fixture = await setup();
      ssl = opensslDir();
    });
    after(async () => {
      ssl.close();
      await fixture.cleanup();
    });

    it("creates a Self certificate with Key Vault's defaults filled in; versions and the latest policy", async () => {
      const name = fresh("self");
      const { operation, certificate } = await client().createCertificate(name, { x509_props: { subject: "CN=contract" } }, { tags: { a: "b" } });
      assert.equal(operation.status, "completed");
      assert.ok(certificate);
      assert.equal(certificate.properties.name, name);
      assert.match(certificate.properties.version!, /^[0-9a-f]{32}$/);
      assert.deepEqual(certificate.properties.tags, { a: "b" });
      assert.equal(certificate.keyId, `${certificate.properties.vaultUrl}/keys/${name}/${certificate.properties.version}`);
      assert.equal(certificate.policy?.key_props.kty, "RSA");
      assert.equal(certificate.policy?.key_props.key_size, 2048);
      assert.equal(certificate.policy?.secret_props.contentType, "application/x-pkcs12");
      assert.deepEqual(certificate.policy?.x509_props.ekus, ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
      assert.deepEqual(certificate.policy?.lifetime_actions, [{ trigger: { lifetime_percentage: 80 }, action: { action_type: "AutoRenew" } }]);
      const x509 = new X509Certificate(certificate.cer);
      assert.equal(x509.subject, "CN=contract");
      assert.equal(certificate.properties.expiresOn!.getTime(), new Date(x509.validTo).getTime());
      assert.equal(certificate.properties.x509ThumbprintString?.length, 40);
      await client().createCertificate(name, { x509_props: { subject: "CN=contract" } });
      assert.equal((await client().listCertificateVersions(name)).length, 2);
      assert.ok((await client().listCertificates()).some((p) => p.name === name && p.version === undefined));
    });

    it("downloads PEM parts, one PEM, PFX with a password and DER; createTlsOptions starts an https server a client trusts", async () => {
      const name = fresh("tls");
      await client().createCertificate(name, TLS_POLICY);
      const files = await client().downloadPemFiles(name);
      assert.ok(files.key);
      createPrivateKey(files.key.reveal());
      assert.match(files.certificate, /^-----BEGIN CERTIFICATE-----/);
      assert.equal(files.chain, "");
      assert.match((await client().downloadPem(name)).reveal(), /^-----BEGIN PRIVATE KEY-----[\s\S]+-----BEGIN CERTIFICATE-----/);
      const pfx = await client().downloadPfx(name, { password: "contract-pw" });
      assert.equal(readPfx(pfx, "contract-pw").keys.length, 1);
      assert.deepEqual(Buffer.from(await client().downloadCer(name)), new X509Certificate(files.certificate).raw);
      const tls = await client().createTlsOptions(name);
      const server = createServer(tls, (_req, res) => res.end("hello over tls"));
      server.listen(0, "127.0.0.1");
      await once(server, "listening");
      try {
        assert.equal(await fetchWith((server.address() as AddressInfo).port, tls.ca), "hello over tls");
      } finally {
        server.close();
      }
    });

    it("keeps the private key out of a non-exportable certificate's downloads", async () => {
      const name = fresh("locked");
      await client().createCertificate(name, { ...TLS_POLICY, key_props: { exportable: false }, secret_props: { contentType: "application/x-pem-file" } });
      const files = await client().downloadPemFiles(name);
      assert.equal(files.key, undefined);
      await assert.rejects(client().createTlsOptions(name), { code: "InvalidValue" });
    });

    it("leaves an Unknown create pending with a CSR, merges what openssl signed, and cancels another", async () => {
      const name = fresh("merge");
      const { operation } = await client().createCertificate(name, { issuer: { name: "Unknown" }, x509_props: { subject: "CN=merge" } });
      assert.equal(operation.status, "inProgress");
      assert.ok((await client().listCertificates({ includePending: true })).some((p) => p.name === name));
      assert.ok(!(await client().listCertificates()).some((p) => p.name === name));
      ssl.write(`${name}.csr`, operation.csr!);
      ssl.run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Contract CA", "-days", "5");
      ssl.run("x509", "-req", "-inform", "DER", "-in", `${name}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "5", "-outform", "DER", "-out", `${name}.der`);
      const ca = new X509Certificate(ssl.read("ca.pem")).raw;
      const merged = await client().mergeCertificate(name, [ssl.read(`${name}.der`), ca]);
      assert.equal(new X509Certificate(merged.cer).issuer, "CN=Contract CA");
      assert.equal((await client().getCertificateOperation(name)).status, "completed");
      assert.match((await client().downloadPemFiles(name)).chain, /BEGIN CERTIFICATE/);

      const cancelled = fresh("cancel");
      await client().createCertificate(cancelled, { issuer: { name: "Unknown" }, x509_props: { subject: "CN=c" } });
      assert.equal((await client().cancelCertificateOperation(cancelled)).cancellationRequested, true);
      await client().deleteCertificateOperation(cancelled);
      await assert.rejects(client().getCertificateOperation(cancelled), { code: "CertificateNotFound" });
    });

    it("imports PEM and a PFX with a password; a wrong password and an impossible policy write nothing", async () => {
      ssl.run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "i.key", "-out", "i.crt", "-subj", "/CN=imported", "-days", "9");
      ssl.run("pkcs12", "-export", "-inkey", "i.key", "-in", "i.crt", "-out", "i.pfx", "-passout", "pass:contract-pw");
      const pemName = fresh("imp-pem");
      const fromPem = await client().importCertificate(pemName, ssl.read("i.key").toString() + ssl.read("i.crt").toString());
      assert.equal(new X509Certificate(fromPem.cer).subject, "CN=imported");
      const pfxName = fresh("imp-pfx");
      const fromPfx = await client().importCertificate(pfxName, ssl.read("i.pfx"), { password: "contract-pw", policy: { secret_props: { contentType: "application/x-pem-file" } } });
      assert.equal(fromPfx.properties.x509ThumbprintString, fromPem.properties.x509ThumbprintString);
      assert.equal((await client().getCertificatePolicy(pfxName)).secret_props.contentType, "application/x-pem-file");
      const bad = fresh("imp-bad");
      await assert.rejects(client().importCertificate(bad, ssl.read("i.pfx"), { password: "wrong" }), { code: "InvalidValue" });
      await assert.rejects(client().createCertificate(bad, { key_props: { kty: "RSA", key_size: 1000 }, x509_props: { subject: "CN=x" } }), { code: "InvalidValue" });
      await assert.rejects(client().getCertificate(bad), { code: "CertificateNotFound" });
      assert.ok(!(await client().listCertificates({ includePending: true })).some((p) => p.name === bad));
    });

    it("updates properties and the policy section by section", async () => {
      const name = fresh("upd");
      const { certificate } = await client().createCertificate(name, TLS_POLICY);
      const updated = await client().updateCertificateProperties(name, certificate!.properties.version, { enabled: false, tags: { k: "v" } });
      assert.equal(updated.properties.enabled, false);
      assert.deepEqual(updated.properties.tags, { k: "v" });
      const policy = await client().updateCertificatePolicy(name, { x509_props: { validity_months: 7 } });
      assert.equal(policy.x509_props.validity_months, 7);
      assert.deepEqual(policy.x509_props.sans.dns_names, ["localhost"]);
    });

    it("deletes, recovers, purges; backs up and restores; keeps contacts", async () => {
      const name = fresh("life");
      const { certificate } = await client().createCertificate(name, TLS_POLICY);
      const backup = await client().backupCertificate(name);
      const deleted = await client().deleteCertificate(name);
      assert.match(deleted.properties.recoveryId, new RegExp(`/deletedcertificates/${name}$`));
      assert.ok((await client().listDeletedCertificates()).some((d) => d.name === name));
      assert.equal((await client().getDeletedCertificate(name)).properties.name, name);
      await client().recoverDeletedCertificate(name);
      assert.equal((await client().getCertificate(name)).properties.version, certificate!.properties.version);
      await client().deleteCertificate(name);
      await client().purgeDeletedCertificate(name);
      await assert.rejects(client().getDeletedCertificate(name), { code: "CertificateNotFound" });
      const restored = await client().restoreCertificateBackup(backup);
      assert.equal(restored.properties.version, certificate!.properties.version);
      assert.ok((await client().downloadPem(name)).reveal().includes("PRIVATE KEY"));

      assert.deepEqual(await client().getContacts(), []);
      await client().setContacts([{ email: "ops@example.com", name: "Ops" }]);
      assert.deepEqual(await client().getContacts(), [{ email: "ops@example.com", name: "Ops" }]);
      await client().deleteContacts();
      assert.deepEqual(await client().getContacts(), []);
    });

    it("keeps issuers: set, get (no password back), list, delete", async () => {
      const name = fresh("ca");
      const set = await client().setIssuer(name, { provider: "Test", accountId: "acct-1", password: "issuer-canary-pw" });
      assert.equal(set.provider, "Test");
      assert.equal(set.accountId, "acct-1");
      const got = await client().getIssuer(name);
      assert.equal(got.name, name);
      assert.doesNotMatch(JSON.stringify(got), /issuer-canary-pw/);
      assert.ok((await client().listIssuers()).some((i) => i.name === name && i.provider === "Test"));
      await client().deleteIssuer(name);
      await assert.rejects(client().getIssuer(name), { code: "CertificateNotFound" });
    });

    it("refuses bad names before any call, and names what is missing", async () => {
      await assert.rejects(client().getCertificate("bad_name"), { code: "InvalidName" });
      await assert.rejects(client().getCertificate(fresh("none")), { code: "CertificateNotFound" });
      await assert.rejects(client().mergeCertificate(fresh("none"), []), { code: "InvalidValue" });
    });
  });
}
