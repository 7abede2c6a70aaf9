import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { X509Certificate, constants, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, publicEncrypt, verify, type JsonWebKey } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { cli } from "../cli/run.js";
import { opensslDir } from "../helpers/openssl.js";
import { SERVER_TENANT } from "../../src/server/identity/token-service.js";
import { readyOf, serve, type Ready } from "../helpers/serve-process.js";
import { rawRequest, startTestServer, type TestServer } from "../helpers/server.js";
import { addServicePrincipal } from "../helpers/strict.js";

// Real clients with their default options, each in a child process whose environment is what
// `orbitra vault serve --proxy --json` printed and nothing else (PATH, and a fresh HOME for the
// tools that keep state there). They address https://NAME.vault.azure.net as they would Azure.

const fixtures = join(import.meta.dirname, "fixtures");
const DEBIAN_PYTHON = "/usr/bin/python3";

function run(command: string, args: string[], env: Record<string, string>, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** What python-keys-child.py imports and decrypts, made here so that the interop is checked both ways. */
function pythonKeysInput() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const ciphertext = publicEncrypt({ key: publicKey, oaepHash: "sha256", padding: constants.RSA_PKCS1_OAEP_PADDING }, Buffer.from("from node"));
  return { given: JSON.stringify({ jwk: privateKey.export({ format: "jwk" }), ciphertext: ciphertext.toString("base64url") }), publicKey };
}

/** Why a client cannot run here, or undefined when it can. */
function missing(check: () => void, what: string): string | undefined {
  try {
    check();
    return undefined;
  } catch {
    return `${what} is not installed (.ci/run installs it with apt-get)`;
  }
}

const noPythonSdk = missing(() => execFileSync(DEBIAN_PYTHON, ["-c", "import azure.identity, azure.keyvault.secrets"], { stdio: "ignore" }), "python3-azure");
const noPythonCerts = missing(() => execFileSync(DEBIAN_PYTHON, ["-c", "import azure.identity, azure.keyvault.certificates"], { stdio: "ignore" }), "python3-azure's certificates");
const noPythonKeys = missing(() => execFileSync(DEBIAN_PYTHON, ["-c", "import azure.identity, azure.keyvault.keys.crypto"], { stdio: "ignore" }), "python3-azure's keys");
const noAz = missing(() => execFileSync("az", ["version"], { stdio: "ignore", env: { PATH: process.env.PATH, HOME: tmpdir() } }), "azure-cli");

describe("official clients with default options through vault serve --proxy", () => {
  let home: string;
  let server: ReturnType<typeof serve>;
  let ready: Ready;
  let childEnv: () => Record<string, string>;
  before(async () => {
    home = mkdtempSync(join(tmpdir(), "orbitra-proxy-clients-"));
    // The delay makes the delete and recover pollers poll through Azure's window, as against Azure.
    server = serve(home, ["--port", "0", "--json", "--proxy", "--consistency-delay", "300"]);
    ready = await readyOf(server);
    childEnv = () => ({ PATH: process.env.PATH!, HOME: mkdtempSync(join(home, "home-")), ...ready.env! });
  });
  after(async () => {
    // Checked once every client above has run, whatever order they ran in (a failure here fails the suite).
    const connects = server.stderr().split("\n").filter((l) => l.includes(" proxy CONNECT "));
    server.child.kill("SIGTERM");
    await server.exited;
    rmSync(home, { recursive: true, force: true });
    assert.ok(connects.length > 10, `${connects.length} CONNECTs`);
    for (const line of connects) assert.match(line, / 200 .*-> (vault default|login|arm)$| 403 .*refused: not an intercepted host$/, line);
  });

  it("prints the proxy, each vault's azureUrl and the child environment in the ready line", () => {
    assert.match(ready.proxy!, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(ready.vaults[0]!.azureUrl, "https://default.vault.azure.net");
    const env = ready.env!;
    assert.equal(env.HTTPS_PROXY, ready.proxy);
    for (const name of ["NODE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"]) assert.equal(env[name], ready.caFile, name);
    assert.doesNotMatch(env.NO_PROXY!, /azure|microsoft/);
    assert.match(env.AZURE_CLIENT_ID!, /^[0-9a-f-]{36}$/);
    assert.ok(env.AZURE_CLIENT_SECRET && env.AZURE_TENANT_ID);
  });

  it("orbitra vault env prints the same for eval; vault exec runs a program with it", async () => {
    const env = { ORBITRA_HOME: home, PATH: process.env.PATH, https_proxy: "http://corporate.invalid:3128" };
    const printed = await cli(["vault", "env"], env);
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /^unset https_proxy http_proxy no_proxy/);
    assert.ok(printed.stdout.includes(`export HTTPS_PROXY='${ready.proxy}'`));
    const json = await cli(["vault", "env", "--json"], env);
    assert.deepEqual(JSON.parse(json.stdout), ready.env);
    const exec = await run(process.execPath, ["--import", "tsx", join(import.meta.dirname, "..", "..", "src", "cli", "main.ts"), "vault", "exec", "--", "sh", "-c", 'echo "$HTTPS_PROXY|${https_proxy:-unset}"'], env as Record<string, string>);
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(exec.stdout.trim(), `${ready.proxy}|unset`);
    const none = await cli(["vault", "env", "--data", join(home, "elsewhere")], env);
    assert.equal(none.code, 5);
    assert.match(none.stderr, /No 'orbitra vault serve --proxy' is running/);
  });

  it("JS: SecretClient and DefaultAzureCredential, no option changed: set, get, versions, list, delete (and a resumed poller), recover, purge, backup, restore", async () => {
    const result = await run(process.execPath, [join(fixtures, "js-sdk-child.mjs"), ready.vaults[0]!.azureUrl!], childEnv());
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { steps: string[]; vaultUrl: string };
    assert.deepEqual(out.steps, ["set", "get", "versions", "list", "backup", "delete", "recover", "purge", "restore"]);
    assert.equal(out.vaultUrl, "https://default.vault.azure.net");
  });

  it("JS: DeviceCodeCredential signs a user in (open mode approves at once) and the default SecretClient writes and reads", async () => {
    const result = await run(process.execPath, [join(fixtures, "js-device-code-child.mjs"), ready.vaults[0]!.azureUrl!], childEnv());
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { prompted: true, value: "signed-in" });
  });

  it("Python: Debian's azure-keyvault-secrets and DefaultAzureCredential, default verify_challenge_resource and instance discovery", { skip: noPythonSdk }, async () => {
    const result = await run(DEBIAN_PYTHON, [join(fixtures, "python-sdk-child.py"), ready.vaults[0]!.azureUrl!], childEnv());
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { steps: string[]; vaultUrl: string };
    assert.deepEqual(out.steps, ["set", "get", "versions", "list", "backup", "delete", "recover", "purge", "restore"]);
    assert.equal(out.vaultUrl, "https://default.vault.azure.net");
    assert.match(server.stderr(), /login GET \/common\/discovery\/instance 200/);
  });

  it("Python: Debian's azure-keyvault-keys (api-version 7.4-preview.1) and CryptographyClient: RSA and EC keys, sign/verify, encrypt/decrypt, wrap/unwrap, import, rotate, delete/recover/purge/restore", { skip: noPythonKeys }, async () => {
    const { given, publicKey } = pythonKeysInput();
    const result = await run(DEBIAN_PYTHON, [join(fixtures, "python-keys-child.py"), ready.vaults[0]!.azureUrl!], childEnv(), given);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as Record<"digest" | "RS256" | "PS256" | "ES256" | "imported" | "importedRS256", string> & Record<"rsa" | "ec", JsonWebKey>;
    assert.deepEqual((out as unknown as { steps: string[] }).steps, ["create", "sign", "encrypt", "wrap", "import", "rotate", "update", "delete", "recover", "purge", "restore"]);
    // The server's signatures, asked for by Python over SHA-256("signed by python"), verify with
    // node:crypto on the public JWKs the server returned (and on the imported key's own public half).
    const data = Buffer.from("signed by python");
    assert.equal(out.digest, createHash("sha256").update(data).digest("base64url"));
    const rsa = createPublicKey({ key: out.rsa, format: "jwk" });
    const sig = (name: "RS256" | "PS256" | "ES256" | "importedRS256") => Buffer.from(out[name], "base64url");
    assert.ok(verify("sha256", data, rsa, sig("RS256")), "RS256");
    assert.ok(verify("sha256", data, { key: rsa, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig("PS256")), "PS256");
    assert.ok(verify("sha256", data, { key: createPublicKey({ key: out.ec, format: "jwk" }), dsaEncoding: "ieee-p1363" }, sig("ES256")), "ES256");
    assert.ok(verify("sha256", data, publicKey, sig("importedRS256")), "imported RS256");
    assert.equal(verify("sha256", Buffer.from("other"), rsa, sig("RS256")), false);
    assert.equal(out.imported, "from node");
    assert.match(server.stderr(), /default POST \/keys\/py-rsa\/[0-9a-f]{32}\/sign 200/);
  });

  it("Python: Debian's azure-keyvault-certificates: create with its poller, policy, a pending create cancelled, PEM import, the linked secrets and key, delete/recover/purge", { skip: noPythonCerts }, async () => {
    const ssl = opensslDir();
    try {
      ssl.run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=from-openssl", "-days", "30");
      const given = JSON.stringify({ pem: `${ssl.read("cert.pem").toString("utf8")}${ssl.read("key.pem").toString("utf8")}` });
      const result = await run(DEBIAN_PYTHON, [join(fixtures, "python-certs-child.py"), ready.vaults[0]!.azureUrl!], childEnv(), given);
      assert.equal(result.code, 0, result.stderr);
      const out = JSON.parse(result.stdout) as { steps: string[]; cer: string; pfx: string; importedPem: string; importedThumbprint: string };
      assert.deepEqual(out.steps, ["create", "policy", "pending", "import", "download", "delete"]);
      // What the policy asked for, read by node:crypto and openssl from the certificate Python got.
      const cert = new X509Certificate(Buffer.from(out.cer, "base64"));
      assert.equal(cert.subject, "CN=py-tls");
      assert.equal(cert.subjectAltName, "DNS:localhost, DNS:py.example");
      assert.deepEqual(cert.keyUsage, ["1.3.6.1.5.5.7.3.1"]);
      const text = ssl.run("x509", "-in", ssl.write("py-tls.cer", Buffer.from(out.cer, "base64")), "-inform", "DER", "-noout", "-text");
      assert.match(text, /Digital Signature, Key Encipherment/);
      // The linked secret: a password-less PFX that openssl opens, holding that certificate and its key.
      ssl.write("py-tls.pfx", Buffer.from(out.pfx, "base64"));
      const opened = ssl.run("pkcs12", "-in", "py-tls.pfx", "-passin", "pass:", "-nodes");
      const key = createPrivateKey(opened.slice(opened.indexOf("-----BEGIN PRIVATE KEY-----")));
      assert.ok(cert.checkPrivateKey(key));
      // The imported PEM comes back as PEM with openssl's own key and certificate.
      const imported = new X509Certificate(ssl.read("cert.pem"));
      assert.equal(out.importedThumbprint, imported.fingerprint.replaceAll(":", ""));
      assert.ok(imported.checkPrivateKey(createPrivateKey(out.importedPem)));
      assert.ok(out.importedPem.includes(imported.toString().trim()));
    } finally {
      ssl.close();
    }
  });

  it("Azure CLI: az login --service-principal, az account get-access-token for Key Vault, an az rest round trip on a secret and a keys sign / verify", { skip: noAz }, async () => {
    const result = await run("/bin/sh", [join(fixtures, "az-cli-child.sh"), ready.vaults[0]!.azureUrl!], childEnv());
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split("\n"), ["Bearer", "from-az", "from-az", "true"]);
    assert.match(server.stderr(), /arm GET \/subscriptions 200/);
  });

});

// Keeps the skip reasons visible in the output when a client is absent.
if (noPythonSdk || noAz) console.log(`# skipped clients: ${[noPythonSdk, noAz].filter(Boolean).join("; ")}`);

describe("strict mode through the proxy", () => {
  let server: TestServer;
  const log: string[] = [];
  before(async () => {
    server = await startTestServer({ auth: "strict", proxy: {}, accessLog: (line) => log.push(line) });
  });
  after(async () => server.close());

  it("prints no principal; a registered one with Secrets Officer runs the JS client with default options; identity requests are logged", async () => {
    assert.equal(server.proxy!.env.AZURE_CLIENT_SECRET, undefined);
    const { clientId, secret } = addServicePrincipal(server, "proxy-app", ["Key Vault Secrets Officer"]);
    const env = { PATH: process.env.PATH!, ...server.proxy!.env, AZURE_TENANT_ID: SERVER_TENANT, AZURE_CLIENT_ID: clientId, AZURE_CLIENT_SECRET: secret };
    const result = await run(process.execPath, [join(fixtures, "js-sdk-child.mjs"), "https://default.vault.azure.net"], env);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(log.some((l) => /^login POST \/[0-9a-f-]{36}\/oauth2\/v2\.0\/token 200 /.test(l)), log.join("\n"));
    // A wrong secret is refused through the proxy as on the vault's port: strict mode's principals apply.
    const refused = await run(process.execPath, [join(fixtures, "js-sdk-child.mjs"), "https://default.vault.azure.net"], { ...env, AZURE_CLIENT_SECRET: "wrong" });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /AADSTS7000215/);
  });

  it("Python's keys child runs as a Crypto Officer; a Crypto User is refused the create with Key Vault's 403", { skip: noPythonKeys }, async () => {
    const as = (name: string, role: string) => {
      const { clientId, secret } = addServicePrincipal(server, name, [role]);
      return { PATH: process.env.PATH!, HOME: tmpdir(), ...server.proxy!.env, AZURE_TENANT_ID: SERVER_TENANT, AZURE_CLIENT_ID: clientId, AZURE_CLIENT_SECRET: secret };
    };
    const script = join(fixtures, "python-keys-child.py");
    const officer = await run(DEBIAN_PYTHON, [script, "https://default.vault.azure.net", "--no-rng"], as("py-officer", "Key Vault Crypto Officer"), pythonKeysInput().given);
    assert.equal(officer.code, 0, officer.stderr);
    const user = await run(DEBIAN_PYTHON, [script, "https://default.vault.azure.net"], as("py-user", "Key Vault Crypto User"), pythonKeysInput().given);
    assert.notEqual(user.code, 0);
    assert.match(user.stderr, /\(Forbidden\)[\s\S]*Action: 'Microsoft\.KeyVault\/vaults\/keys\/create\/action'[\s\S]*"code": "ForbiddenByRbac"/);
  });

  it("logs identity requests on the vault's own port too", async () => {
    const answer = await rawRequest(server.url, server.ca, { path: `/${SERVER_TENANT}/v2.0/.well-known/openid-configuration` });
    assert.equal(answer.status, 200);
    assert.ok(log.some((l) => l.startsWith(`login GET /${SERVER_TENANT}/v2.0/.well-known/openid-configuration 200`)), log.join("\n"));
  });
});
