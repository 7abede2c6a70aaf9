import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { isOrbitraError } from "../../src/core/errors.js";
import { createCsr, createSelfSignedCertificate } from "../../src/x509/build.js";
import { thumbprint } from "../../src/x509/export.js";
import { generateCertificateKey, type KeyPair } from "../../src/x509/keys.js";
import { mergeCertificate } from "../../src/x509/merge.js";
import { toPem } from "../../src/x509/pem.js";
import { normalisePolicy } from "../../src/x509/policy.js";
import { readCertificateProperties } from "../../src/x509/properties.js";
import { opensslDir, type OpensslDir } from "../helpers/openssl.js";

const RICH = {
  x509_props: {
    subject: "CN=dev-tls, O=Contoso, C=US",
    sans: {
      dns_names: ["localhost", "*.dev.example"],
      ipAddresses: ["127.0.0.1"],
      emails: ["ops@example.com"],
      uris: ["https://dev.example/app"],
      upns: ["svc@corp.example"],
    },
    ekus: ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"],
    key_usage: ["digitalSignature", "keyEncipherment", "dataEncipherment"],
    validity_months: 13,
    basic_constraints: { ca: false },
  },
};

describe("x509 build: self-signed certificates from a policy", () => {
  let dir: OpensslDir;
  before(() => (dir = opensslDir()));
  after(() => dir.close());

  for (const key_props of [{ kty: "RSA", key_size: 3072 }, { kty: "EC", crv: "P-256" }, { kty: "EC-HSM", crv: "P-521" }]) {
    test(`${key_props.kty} ${"crv" in key_props ? key_props.crv : key_props.key_size}: openssl and node read the policy's subject, SANs, usages, EKUs and validity`, async () => {
      const policy = normalisePolicy({ ...RICH, key_props });
      const keys = await generateCertificateKey(policy.key_props);
      const now = new Date("2026-01-31T12:00:00Z");
      const der = await createSelfSignedCertificate(policy, keys, { now });
      const text = dir.run("x509", "-inform", "DER", "-in", dir.write("c.der", der), "-text", "-noout");

      assert.match(text, /Subject: CN = dev-tls, O = Contoso, C = US/);
      assert.match(text, /Issuer: CN = dev-tls, O = Contoso, C = US/);
      assert.match(text, /DNS:localhost, DNS:\*\.dev\.example, email:ops@example\.com, othername: UPN::svc@corp\.example, URI:https:\/\/dev\.example\/app, IP Address:127\.0\.0\.1/);
      assert.match(text, /X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment, Data Encipherment/);
      assert.match(text, /X509v3 Extended Key Usage:\s+TLS Web Server Authentication, TLS Web Client Authentication/);
      assert.match(text, /X509v3 Basic Constraints: critical\s+CA:FALSE/);
      // 10 minutes back-dated; 13 months on from Jan 31 is the last day of February a year later.
      assert.match(text, /Not Before: Jan 31 11:50:00 2026 GMT/);
      assert.match(text, /Not After : Feb 28 12:00:00 2027 GMT/);
      assert.match(text, policy.key_props.kty === "RSA" ? /Public-Key: \(3072 bit\)[\s\S]*sha256WithRSAEncryption/ : new RegExp(`NIST CURVE: ${policy.key_props.crv}`));

      const cert = new X509Certificate(der);
      assert.ok(cert.verify(keys.publicKey), "self-signed by the policy's key");
      assert.ok(cert.checkHost("localhost") && cert.checkIP("127.0.0.1") && cert.checkEmail("ops@example.com"));
      assert.equal(cert.ca, false);
      assert.equal(thumbprint(der), Buffer.from(cert.fingerprint.replace(/:/g, ""), "hex").toString("base64url"));
    });
  }

  test("properties read back from the DER match the policy", async () => {
    const policy = normalisePolicy({ ...RICH, key_props: { kty: "EC", crv: "P-384" } });
    const der = await createSelfSignedCertificate(policy, await generateCertificateKey(policy.key_props), { serialNumber: "0a1b2c" });
    const p = readCertificateProperties(der);
    assert.equal(p.subject, "CN=dev-tls, O=Contoso, C=US");
    assert.equal(p.serialNumber, "0A1B2C");
    assert.deepEqual(p.sans, RICH.x509_props.sans);
    assert.deepEqual(p.keyUsage, RICH.x509_props.key_usage);
    assert.deepEqual(p.ekus, RICH.x509_props.ekus);
    assert.deepEqual(p.basicConstraints, { ca: false });
    assert.equal(p.kty, "EC");
    assert.equal(p.crv, "P-384");
    assert.equal(p.x5t, thumbprint(der));
  });

  test("a CA certificate with a subject-less, SAN-only leaf style name and no usages", async () => {
    const policy = normalisePolicy({ x509_props: { sans: { dns_names: ["only.example"] }, key_usage: [], ekus: [], basic_constraints: { ca: true } } });
    const der = await createSelfSignedCertificate(policy, await generateCertificateKey(policy.key_props));
    const text = dir.run("x509", "-inform", "DER", "-in", dir.write("ca.der", der), "-text", "-noout");
    assert.match(text, /X509v3 Subject Alternative Name: critical\s+DNS:only\.example/);
    assert.match(text, /CA:TRUE/);
    assert.doesNotMatch(text, /Key Usage/);
  });

  test("P-256K (secp256k1, which WebCrypto lacks) signs too: ES256K, verified by openssl and node", async () => {
    const policy = normalisePolicy({ x509_props: { subject: "CN=k" }, key_props: { kty: "EC", crv: "P-256K" } });
    const keys = await generateCertificateKey(policy.key_props);
    const der = await createSelfSignedCertificate(policy, keys);
    assert.ok(new X509Certificate(der).verify(keys.publicKey));
    const file = dir.write("k.pem", toPem("CERTIFICATE", der));
    assert.match(dir.run("x509", "-in", file, "-text", "-noout"), /ASN1 OID: secp256k1[\s\S]*ecdsa-with-SHA256/);
    assert.match(dir.run("verify", "-CAfile", file, file), /OK/);
    const csr = await createCsr(policy, keys);
    assert.match(dir.run("req", "-inform", "DER", "-in", dir.write("k.csr", csr), "-noout", "-verify"), /^$/);
  });
});

describe("x509 build: the Unknown issuer flow (CSR, signed by openssl, merged)", () => {
  let dir: OpensslDir;
  let keys: KeyPair;
  let csr: Buffer;
  before(async () => {
    dir = opensslDir();
    const policy = normalisePolicy({ ...RICH, issuer: { name: "Unknown" } });
    keys = await generateCertificateKey(policy.key_props);
    csr = await createCsr(policy, keys);
    // A CA and an intermediate, as a real CA hands back a leaf with its chain.
    dir.run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "root.pem", "-subj", "/CN=Test Root", "-days", "2",
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    dir.run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "int.key", "-out", "int.csr", "-subj", "/CN=Test Intermediate");
    dir.write("ca.ext", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n");
    dir.run("x509", "-req", "-in", "int.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial", "-out", "int.pem", "-days", "2", "-extfile", "ca.ext");
  });
  after(() => dir.close());

  test("the CSR carries the policy's subject and requested extensions, and verifies", () => {
    const text = dir.run("req", "-inform", "DER", "-in", dir.write("leaf.csr.der", csr), "-text", "-noout", "-verify");
    assert.match(text, /Subject: CN = dev-tls, O = Contoso, C = US/);
    assert.match(text, /Requested Extensions:[\s\S]*DNS:localhost[\s\S]*TLS Web Server Authentication[\s\S]*Digital Signature/);
  });

  test("a certificate openssl signed for the CSR merges: leaf found, chain ordered leaf's issuer first", () => {
    dir.write("leaf.csr", toPem("CERTIFICATE REQUEST", csr));
    dir.run("x509", "-req", "-in", "leaf.csr", "-CA", "int.pem", "-CAkey", "int.key", "-CAcreateserial", "-out", "leaf.pem", "-days", "1", "-copy_extensions", "copy");
    const der = (name: string) => new X509Certificate(dir.read(name)).raw;
    // Sent out of order, the root first and as base64 DER, the leaf as base64 of its PEM text.
    const merged = mergeCertificate(keys.privateKey, [der("root.pem").toString("base64"), dir.read("leaf.pem").toString("base64"), der("int.pem")]);
    assert.ok(merged.certificate.equals(der("leaf.pem")));
    assert.deepEqual(merged.chain.map((c) => new X509Certificate(c).subject), ["CN=Test Intermediate", "CN=Test Root"]);
    assert.match(dir.run("x509", "-in", "leaf.pem", "-noout", "-ext", "subjectAltName"), /DNS:localhost/);
  });

  test("a certificate for another key is Key Vault's key-mismatch error; no x5c is its empty-x5c error", () => {
    assert.throws(
      () => mergeCertificate(keys.privateKey, [new X509Certificate(dir.read("int.pem")).raw]),
      (e: unknown) => isOrbitraError(e) && e.serviceCode === "BadParameter" && /Public key from x509 certificate and key of this instance doesn't match/.test(e.message),
    );
    assert.throws(() => mergeCertificate(keys.privateKey, []), /X5C must has at least one valid item/);
    assert.throws(() => mergeCertificate(keys.privateKey, ["bm90IGEgY2VydA=="]), (e: unknown) => isOrbitraError(e) && e.code === "InvalidValue");
  });
});
