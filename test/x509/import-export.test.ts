import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createSecureContext } from "node:tls";
import { isOrbitraError } from "../../src/core/errors.js";
import { createSelfSignedCertificate } from "../../src/x509/build.js";
import { pemBundle, pemParts, secretValue, thumbprint } from "../../src/x509/export.js";
import { readCertificateContent } from "../../src/x509/import.js";
import { generateCertificateKey, samePublicKey } from "../../src/x509/keys.js";
import type { CertificateMaterial } from "../../src/x509/material.js";
import { writePfx } from "../../src/x509/pfx.js";
import { normalisePolicy } from "../../src/x509/policy.js";
import { policyFromCertificate } from "../../src/x509/properties.js";
import { opensslDir, type OpensslDir } from "../helpers/openssl.js";

/** Test-only passwords: they protect throw-away keys in a temp folder. */
const PASSWORD = "test-pfx-pass";

const badParameter = (pattern: RegExp) => (error: unknown) =>
  isOrbitraError(error) && error.code === "InvalidValue" && error.serviceCode === "BadParameter" && pattern.test(error.message);

describe("x509 import: PEM and PFX made by openssl, sniffed", () => {
  let dir: OpensslDir;
  before(() => {
    dir = opensslDir();
    dir.run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Import CA", "-days", "2",
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
    // RSA leaf with a PKCS#1 ("traditional") key, EC leaf with a SEC1 key (with its EC PARAMETERS block), both signed by the CA.
    dir.run("genrsa", "-traditional", "-out", "rsa.key", "2048");
    dir.run("ecparam", "-name", "prime256v1", "-genkey", "-out", "ec.key");
    for (const kind of ["rsa", "ec"]) {
      dir.run("req", "-new", "-key", `${kind}.key`, "-out", `${kind}.csr`, "-subj", `/CN=${kind}.example`);
      dir.run("x509", "-req", "-in", `${kind}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${kind}.pem`, "-days", "1");
    }
  });
  after(() => dir.close());

  const text = (name: string) => dir.read(name).toString("utf8");
  const der = (name: string) => Buffer.from(new X509Certificate(dir.read(name)).raw);

  for (const kind of ["rsa", "ec"]) {
    test(`${kind}: PEM with key, leaf and chain in any order -> leaf paired with its key, chain after it`, () => {
      const { material, contentType } = readCertificateContent(text("ca.pem") + text(`${kind}.key`) + text(`${kind}.pem`));
      assert.equal(contentType, "application/x-pem-file");
      assert.ok(material.certificate.equals(der(`${kind}.pem`)));
      assert.deepEqual(material.chain, [der("ca.pem")]);
      assert.ok(samePublicKey(material.privateKey, new X509Certificate(material.certificate).publicKey));
    });

    test(`${kind}: PEM sent base64-encoded, as Python's azure-keyvault-certificates sends it, is read as PEM`, () => {
      const { material, contentType } = readCertificateContent(Buffer.from(text(`${kind}.key`) + text(`${kind}.pem`)).toString("base64"));
      assert.equal(contentType, "application/x-pem-file");
      assert.ok(material.certificate.equals(der(`${kind}.pem`)));
    });

    test(`${kind}: PKCS#8 PEM, encrypted PKCS#8 with its password, and as bytes`, () => {
      dir.run("pkcs8", "-topk8", "-nocrypt", "-in", `${kind}.key`, "-out", `${kind}.p8`);
      dir.run("pkcs8", "-topk8", "-in", `${kind}.key`, "-out", `${kind}.p8e`, "-passout", `pass:${PASSWORD}`);
      const plain = readCertificateContent(Buffer.from(text(`${kind}.p8`) + text(`${kind}.pem`)));
      assert.ok(plain.material.certificate.equals(der(`${kind}.pem`)));
      const encrypted = readCertificateContent(text(`${kind}.pem`) + text(`${kind}.p8e`), { password: PASSWORD });
      assert.ok(samePublicKey(encrypted.material.privateKey, plain.material.privateKey));
      assert.throws(() => readCertificateContent(text(`${kind}.pem`) + text(`${kind}.p8e`)), badParameter(/encrypted: give its password/));
      assert.throws(() => readCertificateContent(text(`${kind}.pem`) + text(`${kind}.p8e`), { password: "wrong" }), badParameter(/password is wrong/));
    });

    for (const [label, args] of [
      ["OpenSSL 3 default (PBES2 AES-256, SHA-256 MAC)", []],
      ["3DES with a SHA-1 MAC (older Windows)", ["-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-3DES", "-macalg", "sha1"]],
      ["legacy RC2-40 (OpenSSL 1.1)", ["-legacy"]],
    ] as const) {
      test(`${kind}: PFX, ${label}, with a password, as bytes and as base64`, () => {
        const file = `${kind}-${args.length}.pfx`;
        dir.run("pkcs12", "-export", ...args, "-inkey", `${kind}.key`, "-in", `${kind}.pem`, "-certfile", "ca.pem", "-out", file, "-passout", `pass:${PASSWORD}`);
        for (const content of [dir.read(file), dir.read(file).toString("base64")]) {
          const { material, contentType } = readCertificateContent(content, { password: PASSWORD });
          assert.equal(contentType, "application/x-pkcs12");
          assert.ok(material.certificate.equals(der(`${kind}.pem`)));
          assert.deepEqual(material.chain, [der("ca.pem")]);
        }
        assert.throws(() => readCertificateContent(dir.read(file), { password: "wrong" }), badParameter(/PKCS#12 .*password is wrong or missing/));
        assert.throws(() => readCertificateContent(dir.read(file)), badParameter(/password is wrong or missing/));
      });
    }

    test(`${kind}: PFX without a password (empty, and no MAC or encryption at all)`, () => {
      dir.run("pkcs12", "-export", "-inkey", `${kind}.key`, "-in", `${kind}.pem`, "-out", `${kind}-empty.pfx`, "-passout", "pass:");
      dir.run("pkcs12", "-export", "-keypbe", "NONE", "-certpbe", "NONE", "-nomac", "-inkey", `${kind}.key`, "-in", `${kind}.pem`, "-out", `${kind}-none.pfx`, "-passout", "pass:");
      for (const file of [`${kind}-empty.pfx`, `${kind}-none.pfx`]) {
        assert.ok(readCertificateContent(dir.read(file).toString("base64")).material.certificate.equals(der(`${kind}.pem`)));
      }
    });
  }

  test("PEM as other tools write it: CRLF and a BOM, openssl pkcs12 -nodes output with Bag Attributes, a Proc-Type encrypted PKCS#1 key", () => {
    const crlf = "\uFEFF" + (text("rsa.key") + text("rsa.pem")).replace(/\n/g, "\r\n");
    assert.ok(readCertificateContent(crlf).material.certificate.equals(der("rsa.pem")));
    const dump = dir.run("pkcs12", "-in", "rsa-0.pfx", "-nodes", "-passin", `pass:${PASSWORD}`);
    assert.match(dump, /Bag Attributes/);
    const fromDump = readCertificateContent(dump).material;
    assert.ok(fromDump.certificate.equals(der("rsa.pem")) && fromDump.chain[0]!.equals(der("ca.pem")));
    dir.run("rsa", "-in", "rsa.key", "-traditional", "-aes256", "-out", "rsa-enc.key", "-passout", `pass:${PASSWORD}`);
    assert.match(text("rsa-enc.key"), /Proc-Type: 4,ENCRYPTED/);
    assert.ok(readCertificateContent(text("rsa-enc.key") + text("rsa.pem"), { password: PASSWORD }).material.certificate.equals(der("rsa.pem")));
    assert.throws(() => readCertificateContent(text("rsa-enc.key") + text("rsa.pem")), badParameter(/encrypted: give its password/));
  });

  test("malformed content: Key Vault's PEM and PKCS#12 errors", () => {
    assert.throws(() => readCertificateContent("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" + text("rsa.key")), badParameter(/valid PEM format/));
    assert.throws(() => readCertificateContent(text("rsa.key")), badParameter(/valid PEM format/));
    assert.throws(() => readCertificateContent(text("rsa.pem")), badParameter(/Private key is not specified/));
    assert.throws(() => readCertificateContent("not base64 at all!"), badParameter(/valid PKCS#12 format/));
    assert.throws(() => readCertificateContent(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x03])), badParameter(/valid PKCS#12 format/));
    assert.throws(() => readCertificateContent(dir.read("rsa-0.pfx").subarray(0, 200), { password: PASSWORD }), badParameter(/valid PKCS#12 format/));
    assert.throws(() => readCertificateContent(text("ec.key") + text("rsa.pem")), badParameter(/doesn't match/));
    dir.run("req", "-x509", "-newkey", "ed25519", "-nodes", "-keyout", "ed.key", "-out", "ed.pem", "-subj", "/CN=ed", "-days", "1");
    assert.throws(() => readCertificateContent(text("ed.key") + text("ed.pem")), badParameter(/ED25519|ed25519.*RSA or EC/i));
  });
});

describe("x509 export: PFX and PEM out", () => {
  let dir: OpensslDir;
  const materials: Record<string, CertificateMaterial> = {};
  before(async () => {
    dir = opensslDir();
    for (const kty of ["RSA", "EC"]) {
      const policy = normalisePolicy({ key_props: { kty }, x509_props: { subject: `CN=${kty}-export`, sans: { dns_names: ["localhost"] } } });
      const keys = await generateCertificateKey(policy.key_props);
      const issuerKeys = await generateCertificateKey(policy.key_props);
      // The "chain" here is another self-signed certificate: export keeps what it is given, in order.
      const issuer = await createSelfSignedCertificate(normalisePolicy({ x509_props: { subject: "CN=chain" }, key_props: { kty } }), issuerKeys);
      materials[kty] = { privateKey: keys.privateKey, certificate: await createSelfSignedCertificate(policy, keys), chain: [issuer] };
    }
  });
  after(() => dir.close());

  for (const kty of ["RSA", "EC"]) {
    test(`${kty}: the linked secret's password-less PFX (standard base64) opens with openssl -passin pass: and node's TLS`, () => {
      const material = materials[kty]!;
      const value = secretValue(material, "application/x-pkcs12");
      assert.match(value, /^[A-Za-z0-9+/]+=*$/);
      const info = dir.run("pkcs12", "-in", dir.write(`${kty}.pfx`, Buffer.from(value, "base64")), "-info", "-nodes", "-passin", "pass:");
      assert.equal((info.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length, 2);
      assert.match(info, /-----BEGIN PRIVATE KEY-----/);
      assert.match(info, new RegExp(`subject=CN = ${kty}-export`));
      createSecureContext({ pfx: Buffer.from(value, "base64") });
      // And it reads back through our own import.
      const back = readCertificateContent(value).material;
      assert.ok(back.certificate.equals(material.certificate) && back.chain[0]!.equals(material.chain[0]!));
    });

    test(`${kty}: a PFX with a password (download) needs it, in openssl and node`, () => {
      const pfx = writePfx(materials[kty]!, PASSWORD);
      const file = dir.write(`${kty}-pw.pfx`, pfx);
      assert.match(dir.run("pkcs12", "-in", file, "-info", "-nodes", "-passin", `pass:${PASSWORD}`), /-----BEGIN PRIVATE KEY-----/);
      assert.throws(() => dir.run("pkcs12", "-in", file, "-info", "-nodes", "-passin", "pass:wrong"));
      createSecureContext({ pfx, passphrase: PASSWORD });
      assert.throws(() => createSecureContext({ pfx, passphrase: "wrong" }));
    });
  }

  test("certificates come out of a PFX byte for byte, even an RSA one whose encoding forge would rewrite", () => {
    // The outer signature AlgorithmIdentifier without its NULL parameters: legal, and not what forge writes.
    const original = Buffer.from(new X509Certificate(pemParts({ ...materials.RSA!, chain: [] }).certificate).raw);
    const withNull = Buffer.from("300d06092a864886f70d01010b0500", "hex");
    const at = original.lastIndexOf(withNull);
    assert.ok(at > 0 && original[1] === 0x82);
    const odd = Buffer.concat([original.subarray(0, at), Buffer.from("300b06092a864886f70d01010b", "hex"), original.subarray(at + withNull.length)]);
    odd.writeUInt16BE(original.readUInt16BE(2) - 2, 2);
    const pfx = writePfx({ privateKey: materials.RSA!.privateKey!, certificate: odd, chain: [] }, PASSWORD);
    const back = readCertificateContent(pfx, { password: PASSWORD }).material;
    assert.ok(back.certificate.equals(odd));
    assert.equal(thumbprint(back.certificate), thumbprint(odd));
  });

  test("PEM out: private key, leaf, chain in Key Vault's order; parts separately; no key when not exportable", () => {
    const material = materials.EC!;
    const pem = secretValue(material, "application/x-pem-file");
    assert.equal(pem, pemBundle(material));
    const labels = [...pem.matchAll(/-----BEGIN ([A-Z ]+)-----/g)].map((m) => m[1]);
    assert.deepEqual(labels, ["PRIVATE KEY", "CERTIFICATE", "CERTIFICATE"]);
    const parts = pemParts(material);
    assert.equal(new X509Certificate(parts.certificate).fingerprint, new X509Certificate(material.certificate).fingerprint);
    assert.equal(parts.key! + parts.certificate + parts.chain, pem);
    const { privateKey: _drop, ...publicOnly } = material;
    assert.deepEqual([...pemBundle(publicOnly).matchAll(/-----BEGIN ([A-Z ]+)-----/g)].map((m) => m[1]), ["CERTIFICATE", "CERTIFICATE"]);
    const certsOnly = dir.run("pkcs12", "-in", dir.write("public.pfx", writePfx(publicOnly)), "-info", "-nodes", "-passin", "pass:");
    assert.doesNotMatch(certsOnly, /PRIVATE KEY/);
    // x5t is the SHA-1 thumbprint, base64url, as openssl computes it.
    const sha1 = dir.run("x509", "-in", dir.write("leaf.pem", parts.certificate), "-noout", "-fingerprint", "-sha1").split("=")[1]!.trim();
    assert.equal(thumbprint(material.certificate), Buffer.from(sha1.replace(/:/g, ""), "hex").toString("base64url"));
  });

  test("an import with no policy gets one from the certificate: issuer Unknown, its own names and lifetime", () => {
    const policy = policyFromCertificate(materials.RSA!.certificate, "application/x-pkcs12");
    assert.equal(policy.issuer.name, "Unknown");
    assert.equal(policy.x509_props.subject, "CN=RSA-export");
    assert.deepEqual(policy.x509_props.sans, { dns_names: ["localhost"] });
    assert.equal(policy.x509_props.validity_months, 12);
    assert.deepEqual(policy.key_props, { exportable: true, kty: "RSA", key_size: 2048, reuse_key: false });
    assert.deepEqual(policy.lifetime_actions, [{ trigger: { lifetime_percentage: 80 }, action: { action_type: "EmailContacts" } }]);
  });
});
