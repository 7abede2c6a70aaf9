import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer, request, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { after, describe, test } from "node:test";
import { promisify } from "node:util";
import { isOrbitraError } from "../../src/core/errors.js";
import { createSelfSignedCertificate } from "../../src/x509/build.js";
import { pemBundle, secretValue } from "../../src/x509/export.js";
import { generateCertificateKey } from "../../src/x509/keys.js";
import { normalisePolicy } from "../../src/x509/policy.js";
import { tlsOptionsFrom } from "../../src/x509/tls-options.js";
import { opensslDir } from "../helpers/openssl.js";

const run = promisify(execFile);

async function devCertificate(kty: string) {
  const policy = normalisePolicy({ key_props: { kty }, x509_props: { subject: "CN=dev-tls", sans: { dns_names: ["localhost"], ipAddresses: ["127.0.0.1"] } } });
  const keys = await generateCertificateKey(policy.key_props);
  return { privateKey: keys.privateKey, certificate: await createSelfSignedCertificate(policy, keys), chain: [] };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function get(port: number, ca: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", servername: "localhost", port, path: "/", ca }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("x509 TLS options: a Node https server starts with a certificate's PEM, and clients accept it", () => {
  const servers: Server[] = [];
  const dir = opensslDir();
  after(() => {
    for (const server of servers) server.close();
    dir.close();
  });

  for (const kty of ["RSA", "EC"]) {
    test(`${kty}: from the PEM secret value -> https.createServer; a node client with ca and curl --cacert accept localhost`, async () => {
      const material = await devCertificate(kty);
      const options = tlsOptionsFrom(secretValue(material, "application/x-pem-file"));
      const server = createServer({ key: options.key, cert: options.cert }, (_req, res) => res.end("hello"));
      servers.push(server);
      const port = await listen(server);
      assert.equal(await get(port, options.ca), "hello");
      const { stdout } = await run("curl", ["--silent", "--show-error", "--cacert", dir.write(`${kty}-ca.pem`, options.ca.join("")), "--resolve", `localhost:${port}:127.0.0.1`, `https://localhost:${port}/`]);
      assert.equal(stdout, "hello");
      // A client that trusts something else refuses: the check is real.
      await assert.rejects(get(port, tlsOptionsFrom(pemBundle(await devCertificate(kty))).ca), /self-signed|unable to verify|certificate/i);
    });
  }

  test("from the PFX secret value too; a certificate without its key is refused", async () => {
    const material = await devCertificate("EC");
    const fromPfx = tlsOptionsFrom(secretValue(material, "application/x-pkcs12"));
    assert.match(fromPfx.key, /^-----BEGIN PRIVATE KEY-----/);
    assert.equal(fromPfx.ca.length, 1);
    const { privateKey: _drop, ...publicOnly } = material;
    assert.throws(() => tlsOptionsFrom(pemBundle(publicOnly)), (e: unknown) => isOrbitraError(e) && /no private key/.test(e.message));
  });
});
