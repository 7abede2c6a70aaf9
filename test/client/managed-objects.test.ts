import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { getCertificatesClient, getKeysClient, getSecretsClient, SecretStr } from "../../src/index.js";

describe("a certificate's key and secret, read through their own clients (local)", () => {
  let home: string;
  before(() => (home = mkdtempSync(join(tmpdir(), "orbitra-managed-"))));
  after(() => rmSync(home, { recursive: true, force: true }));

  it("are marked managed, share the certificate's version, and the secret says its format", async () => {
    const options = { environment: "local", env: { ORBITRA_HOME: home } };
    const certs = getCertificatesClient(options);
    const secrets = getSecretsClient(options);
    const keys = getKeysClient(options);
    try {
      const { certificate } = await certs.createCertificate("managed-tls", { x509_props: { subject: "CN=managed" } });
      const secret = await secrets.getSecretProperties("managed-tls");
      const key = await keys.getKey("managed-tls");
      assert.equal(secret.managed, true);
      assert.equal(secret.contentType, "application/x-pkcs12");
      assert.equal(secret.version, certificate!.properties.version);
      assert.equal(key.properties.managed, true);
      assert.equal(key.properties.version, certificate!.properties.version);
      await secrets.writeSecret("plain", new SecretStr("x"));
      assert.equal((await secrets.getSecretProperties("plain")).managed, undefined);
    } finally {
      await Promise.all([certs.close(), secrets.close(), keys.close()]);
    }
  });
});
