import assert from "node:assert/strict";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { CertificateClient, WellKnownIssuer, type CertificatePolicy } from "@azure/keyvault-certificates";
import { SecretClient } from "@azure/keyvault-secrets";
import { readPfx } from "../../src/x509/index.js";
import { opensslDir, type OpensslDir } from "../helpers/openssl.js";
import { credential, rawRequest, sdkClientOptions, startTestServer, type TestServer } from "../helpers/server.js";

// The official CertificateClient (and SecretClient for the linked secret) against the server
// over real HTTPS: the create poller, import, policy, cancel, merge, lifecycle, backup, contacts
// and issuers, with openssl reading what comes out.

const poll = { intervalInMs: 20 };
const POLICY: CertificatePolicy = {
  issuerName: WellKnownIssuer.Self,
  subject: "CN=sdk.example",
  subjectAlternativeNames: { dnsNames: ["localhost", "sdk.example"], ipAddresses: ["127.0.0.1"] },
  validityInMonths: 3,
  keyUsage: ["digitalSignature", "keyEncipherment"],
  enhancedKeyUsage: ["1.3.6.1.5.5.7.3.1"],
};

describe("official @azure/keyvault-certificates CertificateClient against orbitra vault serve", () => {
  let server: TestServer;
  let client: CertificateClient;
  let secrets: SecretClient;
  let ssl: OpensslDir;

  before(async () => {
    server = await startTestServer();
    client = new CertificateClient(server.url, credential, sdkClientOptions(server.ca));
    secrets = new SecretClient(server.url, credential, sdkClientOptions(server.ca));
    ssl = opensslDir();
  });
  after(async () => {
    ssl.close();
    await server.close();
  });

  it("creates with the poller to completion; openssl shows the subject, SANs, usages and validity asked for", async () => {
    const poller = await client.beginCreateCertificate("sdk-tls", POLICY, poll);
    const cert = await poller.pollUntilDone();
    assert.equal(cert.name, "sdk-tls");
    assert.equal(cert.policy?.subject, "CN=sdk.example");
    assert.equal(cert.policy?.keyType, "RSA");
    assert.equal(cert.policy?.keySize, 2048);
    assert.equal(cert.policy?.exportable, true);
    assert.equal(cert.policy?.lifetimeActions?.[0]?.action, "AutoRenew");
    assert.equal(cert.keyId, `${server.url}/keys/sdk-tls/${cert.properties.version}`);
    assert.equal(cert.secretId, `${server.url}/secrets/sdk-tls/${cert.properties.version}`);
    assert.ok(cert.properties.x509Thumbprint && cert.properties.x509Thumbprint.length === 20);
    const pem = ssl.write("sdk-tls.cer", cert.cer!);
    const text = ssl.run("x509", "-inform", "DER", "-in", pem, "-noout", "-text");
    assert.match(text, /Subject: CN ?= ?sdk\.example/);
    assert.match(text, /DNS:localhost, DNS:sdk\.example, IP Address:127\.0\.0\.1/);
    assert.match(text, /Digital Signature, Key Encipherment/);
    assert.match(text, /TLS Web Server Authentication/);
    assert.equal(cert.properties.expiresOn!.getTime() - cert.properties.notBefore!.getTime() > 80 * 86_400_000, true);
  });

  it("answers a Self create's 202 inProgress, as Key Vault does, and completed at the first read of /pending", async () => {
    const headers = { authorization: "Bearer t", "content-type": "application/json" };
    const body = JSON.stringify({ policy: { x509_props: { subject: "CN=wire" }, issuer: { name: "Self" } } });
    const created = await rawRequest(server.url, server.ca, { method: "POST", path: "/certificates/sdk-wire/create?api-version=7.3", headers, body });
    assert.equal(created.status, 202);
    const accepted = JSON.parse(created.body) as { status: string; target?: string; id: string };
    assert.equal(accepted.status, "inProgress");
    assert.equal(accepted.target, undefined);
    assert.equal(accepted.id, `${server.url}/certificates/sdk-wire/pending`);
    const pending = await rawRequest(server.url, server.ca, { path: "/certificates/sdk-wire/pending?api-version=7.3", headers });
    const read = JSON.parse(pending.body) as { status: string; target: string };
    assert.equal(read.status, "completed");
    assert.equal(read.target, `${server.url}/certificates/sdk-wire`);
  });

  it("links a secret the official SecretClient reads: a PFX that node:crypto and openssl pkcs12 open", async () => {
    const cert = await client.getCertificate("sdk-tls");
    const secret = await secrets.getSecret("sdk-tls");
    assert.equal(secret.properties.managed, true);
    assert.equal(secret.properties.contentType, "application/x-pkcs12");
    assert.equal(secret.properties.certificateKeyId, cert.keyId);
    const pfx = Buffer.from(secret.value!, "base64");
    const contents = readPfx(pfx);
    assert.deepEqual(contents.certificates[0], Buffer.from(cert.cer!));
    ssl.write("sdk-tls.pfx", pfx);
    const out = ssl.run("pkcs12", "-in", "sdk-tls.pfx", "-passin", "pass:", "-nodes");
    assert.match(out, /BEGIN PRIVATE KEY/);
    createPrivateKey(out.slice(out.indexOf("-----BEGIN PRIVATE KEY-----")));
    const asPem = await rawRequest(server.url, server.ca, {
      path: `/secrets/sdk-tls/${cert.properties.version}?api-version=2025-07-01&outContentType=application/x-pem-file`,
      headers: { authorization: "Bearer t" },
    });
    const body = JSON.parse(asPem.body) as { value: string; contentType: string };
    assert.equal(body.contentType, "application/x-pem-file");
    assert.match(body.value, /^-----BEGIN PRIVATE KEY-----[\s\S]+-----BEGIN CERTIFICATE-----/);
  });

  it("round-trips the policy; an update changes what it names and keeps the rest", async () => {
    const policy = await client.getCertificatePolicy("sdk-tls");
    assert.deepEqual(policy.subjectAlternativeNames?.dnsNames, ["localhost", "sdk.example"]);
    // The SDK (4.10.3) drops the reply of updateCertificatePolicy, so read it back.
    await client.updateCertificatePolicy("sdk-tls", { ...policy, validityInMonths: 6 } as CertificatePolicy);
    const updated = await client.getCertificatePolicy("sdk-tls");
    assert.equal(updated.validityInMonths, 6);
    assert.equal(updated.subject, "CN=sdk.example");
    const next = await (await client.beginCreateCertificate("sdk-tls", updated, poll)).pollUntilDone();
    const versions: string[] = [];
    for await (const p of client.listPropertiesOfCertificateVersions("sdk-tls")) versions.push(p.version!);
    assert.equal(versions.length, 2);
    assert.ok(versions.includes(next.properties.version!));
  });

  it("imports PEM and PFX, with and without a password; a wrong password is Key Vault's 400", async () => {
    ssl.run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "imp.key", "-out", "imp.crt", "-subj", "/CN=imported", "-days", "30");
    const pem = ssl.read("imp.key").toString() + ssl.read("imp.crt").toString();
    const fromPem = await client.importCertificate("imp-pem", Buffer.from(pem), { policy: { contentType: "application/x-pem-file" } });
    assert.equal(fromPem.policy?.subject, "CN=imported");
    assert.equal((await secrets.getSecret("imp-pem")).properties.contentType, "application/x-pem-file");
    ssl.run("pkcs12", "-export", "-inkey", "imp.key", "-in", "imp.crt", "-out", "pw.pfx", "-passout", "pass:sdk-test-pw");
    ssl.run("pkcs12", "-export", "-inkey", "imp.key", "-in", "imp.crt", "-out", "nopw.pfx", "-passout", "pass:");
    const withPw = await client.importCertificate("imp-pw", ssl.read("pw.pfx"), { password: "sdk-test-pw" });
    const without = await client.importCertificate("imp-nopw", ssl.read("nopw.pfx"));
    assert.equal(withPw.properties.x509ThumbprintString, fromPem.properties.x509ThumbprintString);
    assert.equal(without.properties.x509ThumbprintString, fromPem.properties.x509ThumbprintString);
    await assert.rejects(client.importCertificate("imp-bad", ssl.read("pw.pfx"), { password: "wrong" }), (e: { statusCode?: number; code?: string }) => {
      assert.equal(e.statusCode, 400);
      assert.equal(e.code, "BadParameter");
      return true;
    });
    await assert.rejects(secrets.getSecret("imp-bad"), { statusCode: 404 });
  });

  it("cancels a pending create, and merges a CSR signed outside with openssl", async () => {
    const unknown: CertificatePolicy = { issuerName: "Unknown", subject: "CN=merged.example" };
    const cancelPoller = await client.beginCreateCertificate("sdk-cancel", unknown, poll);
    await cancelPoller.cancelOperation();
    const cancelled = await client.getCertificateOperation("sdk-cancel", poll);
    assert.equal(cancelled.getOperationState().certificateOperation?.status, "cancelled");
    assert.equal(cancelled.getOperationState().certificateOperation?.cancellationRequested, true);
    await client.deleteCertificateOperation("sdk-cancel");

    await client.beginCreateCertificate("sdk-merge", unknown, poll);
    const pending = (await client.getCertificateOperation("sdk-merge", poll)).getOperationState().certificateOperation!;
    assert.equal(pending.status, "inProgress");
    const listed: string[] = [];
    for await (const p of client.listPropertiesOfCertificates({ includePending: true })) listed.push(p.name!);
    assert.ok(listed.includes("sdk-merge"));
    ssl.write("merge.csr", pending.csr!);
    ssl.run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Outside CA", "-days", "30");
    ssl.run("x509", "-req", "-inform", "DER", "-in", "merge.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "30", "-outform", "DER", "-out", "merged.der");
    const merged = await client.mergeCertificate("sdk-merge", [ssl.read("merged.der")]);
    assert.equal(new X509Certificate(Buffer.from(merged.cer!)).issuer, "CN=Outside CA");
    const done = await client.getCertificateOperation("sdk-merge", poll);
    assert.equal(done.getOperationState().certificateOperation?.status, "completed");
  });

  it("deletes, recovers and purges with the SDK's pollers; backup restores under the same name", async () => {
    await (await client.beginCreateCertificate("sdk-life", POLICY, poll)).pollUntilDone();
    const backup = await client.backupCertificate("sdk-life");
    const deleted = await (await client.beginDeleteCertificate("sdk-life", poll)).pollUntilDone();
    assert.equal(deleted.recoveryId, `${server.url}/deletedcertificates/sdk-life`);
    await assert.rejects(secrets.getSecret("sdk-life"), { statusCode: 404 });
    const names: string[] = [];
    for await (const d of client.listDeletedCertificates()) names.push(d.name!);
    assert.ok(names.includes("sdk-life"));
    await (await client.beginRecoverDeletedCertificate("sdk-life", poll)).pollUntilDone();
    assert.equal((await secrets.getSecret("sdk-life")).properties.managed, true);
    await (await client.beginDeleteCertificate("sdk-life", poll)).pollUntilDone();
    await client.purgeDeletedCertificate("sdk-life");
    await assert.rejects(client.getDeletedCertificate("sdk-life"), { statusCode: 404 });
    const restored = await client.restoreCertificateBackup(backup!);
    assert.equal(restored.name, "sdk-life");
    assert.ok((await secrets.getSecret("sdk-life")).value);
  });

  it("updates properties; keeps contacts and issuers", async () => {
    const updated = await client.updateCertificateProperties("sdk-tls", "", { enabled: false, tags: { t: "1" } });
    assert.equal(updated.properties.enabled, false);
    assert.deepEqual(updated.properties.tags, { t: "1" });
    await client.setContacts([{ email: "ops@example.com", name: "Ops" }]);
    assert.deepEqual(await client.getContacts(), [{ email: "ops@example.com", name: "Ops", phone: undefined }]);
    await client.deleteContacts();
    await assert.rejects(client.getContacts(), { statusCode: 404 });
    await client.createIssuer("test-ca", "Test", { accountId: "acct", password: "issuer-pw" });
    const issuer = await client.getIssuer("test-ca");
    assert.equal(issuer.provider, "Test");
    assert.equal(issuer.accountId, "acct");
    assert.equal(issuer.password, undefined);
    const issuers: string[] = [];
    // The SDK hands list items over as the wire has them: an id, no name.
    for await (const i of client.listPropertiesOfIssuers()) issuers.push(i.id!);
    assert.deepEqual(issuers, [`${server.url}/certificates/issuers/test-ca`]);
    await client.deleteIssuer("test-ca");
    await assert.rejects(client.getIssuer("test-ca"), { statusCode: 404 });
  });
});
