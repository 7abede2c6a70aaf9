import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { getCACertificates, setDefaultCACertificates } from "node:tls";
import { CryptographyClient, KeyClient } from "@azure/keyvault-keys";
import { credential, startTestServer, type TestServer } from "../helpers/server.js";

/**
 * The official CryptographyClient with default options: only the URL, the credential and the CA
 * differ from a client of Azure. It addresses https://default.vault.azure.net through
 * `vault serve --proxy` (HTTPS_PROXY, which the SDK's pipeline reads when a client is made), so the
 * challenge's resource check passes as against Azure; the CA joins the process's default trust
 * store, as NODE_EXTRA_CA_CERTS would (the proxy agent ignores `tlsOptions`). This file runs in a
 * process of its own, so neither leaks into other tests. The access log shows which operations the
 * SDK ran locally on the public key and which it sent (docs/keyvault-wire.md §9.4).
 */
describe("CryptographyClient local and remote paths, default options", () => {
  let server: TestServer;
  const lines: string[] = [];
  const saved = { proxy: process.env.HTTPS_PROXY, noProxy: process.env.NO_PROXY };
  let vaultUrl: string;
  const options = () => ({});

  before(async () => {
    server = await startTestServer({ proxy: {}, accessLog: (line) => lines.push(line) });
    process.env.HTTPS_PROXY = server.proxy!.url;
    process.env.NO_PROXY = "localhost,127.0.0.1,::1";
    setDefaultCACertificates([...getCACertificates("default"), server.ca]);
    vaultUrl = "https://default.vault.azure.net";
  });
  after(async () => {
    for (const [key, value] of [["HTTPS_PROXY", saved.proxy], ["NO_PROXY", saved.noProxy]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await server.close();
  });

  /**
   * The vault requests that `run` made, as "METHOD path", leaving out the proxy's CONNECT lines and
   * the SDK's first, token-less request of each client (its 401 challenge).
   */
  async function requestsDuring(run: () => Promise<unknown>): Promise<string[]> {
    const from = lines.length;
    await run();
    return lines.slice(from).flatMap((line) => {
      const match = /^default (GET|POST|PUT|PATCH|DELETE) (\S+) (\d{3}) /.exec(line);
      return match && match[3] !== "401" ? [`${match[1]} ${match[2]}`] : [];
    });
  }

  it("RSA from a versioned id: GET the key once; RSA-OAEP encrypt and wrap and RS256 verifyData run locally, the rest remotely", async () => {
    const keys = new KeyClient(vaultUrl, credential, options());
    const key = await keys.createRsaKey("cc-rsa");
    assert.equal(key.properties.vaultUrl, vaultUrl);
    const client = new CryptographyClient(key.id!, credential, options());
    const secret = randomBytes(32);
    const base = `/keys/cc-rsa/${key.properties.version}`;

    let encrypted!: Uint8Array;
    const local = await requestsDuring(async () => {
      encrypted = (await client.encrypt({ algorithm: "RSA-OAEP", plaintext: secret })).result;
      await client.wrapKey("RSA1_5", secret);
    });
    assert.deepEqual(local, [`GET ${base}`], "one GET for the public key, no encrypt or wrap request");

    const remote = await requestsDuring(async () => {
      assert.deepEqual(Buffer.from((await client.decrypt({ algorithm: "RSA-OAEP", ciphertext: encrypted })).result), secret);
      await client.encrypt({ algorithm: "RSA-OAEP-256", plaintext: secret });
      const signed = await client.signData("RS256", Buffer.from("data"));
      assert.equal((await client.verifyData("RS256", Buffer.from("data"), signed.result)).result, true);
    });
    assert.deepEqual(remote, [`POST ${base}/decrypt`, `POST ${base}/encrypt`, `POST ${base}/sign`]);
  });

  it("EC from a versionless id: every operation remote, on /keys/{n}//{op}", async () => {
    const keys = new KeyClient(vaultUrl, credential, options());
    await keys.createEcKey("cc-ec", { curve: "P-256" });
    const client = new CryptographyClient(`${vaultUrl}/keys/cc-ec`, credential, options());
    const digest = createHash("sha256").update("x").digest();
    const seen = await requestsDuring(async () => {
      const signed = await client.sign("ES256", digest);
      assert.equal((await client.verify("ES256", digest, signed.result)).result, true);
    });
    assert.deepEqual(seen, ["GET /keys/cc-ec/", "POST /keys/cc-ec//sign", "POST /keys/cc-ec//verify"]);
  });

  it("the SDK refuses locally what a key's key_ops leave out: it reads them from our JWK, from a key or from an id", async () => {
    const keys = new KeyClient(vaultUrl, credential, options());
    const key = await keys.createRsaKey("cc-ops", { keyOps: ["encrypt", "verify"] });
    const client = new CryptographyClient(key, credential, options());
    await assert.rejects(client.decrypt({ algorithm: "RSA-OAEP", ciphertext: randomBytes(256) }), /not supported|not permitted/i);
    const remoteOnly = new CryptographyClient(`${vaultUrl}/keys/cc-ops/${key.properties.version}`, credential, options());
    await assert.rejects(remoteOnly.signData("RS256", Buffer.from("d")), /not supported|not permitted/i);
  });
});
