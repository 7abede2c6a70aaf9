import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, unlinkSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SecretClient } from "@azure/keyvault-secrets";
import { startVaultServer } from "../../src/server/serve.js";
import { credential, rawRequest, sdkClientOptions } from "../helpers/server.js";
import { readyOf, serve } from "../helpers/serve-process.js";


describe("orbitra vault serve (the command, in a child process)", () => {
  let home: string;
  before(() => (home = mkdtempSync(join(tmpdir(), "orbitra-serve-"))));
  after(() => rmSync(home, { recursive: true, force: true }));

  it("prints one JSON ready line; the official SDK connects with the printed CA; SIGTERM stops it with exit 0", async () => {
    const server = serve(home, ["--port", "0", "--json", "--vault", "dev", "--vault", "staging"]);
    const info = await readyOf(server);
    assert.deepEqual(Object.keys(info), ["vaults", "caFile"]);
    assert.deepEqual(info.vaults.map((v) => Object.keys(v)), [["name", "url", "consoleUrl"], ["name", "url", "consoleUrl"]]);
    // One token per start, in the fragment: the same for both vaults' consoles.
    const [devConsole, stagingConsole] = info.vaults.map((v) => new URL(v.consoleUrl!));
    assert.equal(devConsole!.pathname, "/_console/");
    assert.match(devConsole!.hash, /^#token=[A-Za-z0-9_-]{32}$/);
    assert.equal(stagingConsole!.hash, devConsole!.hash);
    assert.deepEqual(info.vaults.map((v) => v.name), ["dev", "staging"]);
    assert.match(info.vaults[0]!.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(info.caFile, join(home, "server", "ca.pem"));
    const ca = readFileSync(info.caFile, "utf8");
    const [dev, staging] = info.vaults.map((v) => new SecretClient(v.url, credential, sdkClientOptions(ca)));
    await dev!.setSecret("only-in-dev", "dev-value-123");
    assert.equal((await dev!.getSecret("only-in-dev")).value, "dev-value-123");
    await assert.rejects(staging!.getSecret("only-in-dev"), { statusCode: 404 });
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
    assert.equal(server.stdout().trim().split("\n").length, 1, "--json prints exactly one line");
    assert.match(server.stderr(), /dev GET \/secrets\/only-in-dev\/ 200 \d+\.\dms/);
    assert.match(server.stderr(), /staging GET \/secrets\/only-in-dev\/ 404/);
    assert.doesNotMatch(server.stderr(), /dev-value-123/, "the access log never holds a value");
  });

  it("reuses its CA and certificate on the next start; the data survives; SIGINT exits 0; --quiet logs nothing", async () => {
    const caBefore = readFileSync(join(home, "server", "ca.pem"), "utf8");
    const certBefore = readFileSync(join(home, "server", "server.pem"), "utf8");
    const server = serve(home, ["--port", "0", "--json", "--quiet", "--vault", "dev", "--vault", "staging"]);
    const info = await readyOf(server);
    assert.equal(readFileSync(info.caFile, "utf8"), caBefore);
    assert.equal(readFileSync(join(home, "server", "server.pem"), "utf8"), certBefore, "same names asked for: same certificate");
    const cert = new X509Certificate(certBefore);
    for (const san of ["DNS:localhost", "IP Address:127.0.0.1", "DNS:dev.localhost", "DNS:staging.localhost", "DNS:*.localhost"]) {
      assert.ok(cert.subjectAltName?.includes(san), `${san} in ${cert.subjectAltName}`);
    }
    assert.ok(cert.checkIssued(new X509Certificate(caBefore)));
    const client = new SecretClient(info.vaults[0]!.url, credential, sdkClientOptions(caBefore));
    assert.equal((await client.getSecret("only-in-dev")).value, "dev-value-123");
    server.child.kill("SIGINT");
    assert.equal(await server.exited, 0);
    assert.equal(server.stderr(), "", "--quiet logs nothing");
  });

  it("without --json prints the URL, the CA file and the SDK recipe", async () => {
    const server = serve(home, ["--port", "0", "--quiet"]);
    await server.firstLine;
    const deadline = Date.now() + 10_000;
    while (!server.stdout().includes("Ctrl-C stops the server.") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const text = server.stdout();
    assert.match(text, /^Vault 'default' at https:\/\/127\.0\.0\.1:\d+$/m);
    assert.ok(text.includes(`CA certificate: ${join(home, "server", "ca.pem")}`));
    assert.ok(text.includes("disableChallengeResourceVerification: true"));
    assert.match(text, /^Web console: https:\/\/127\.0\.0\.1:\d+\/_console\/#token=[A-Za-z0-9_-]{32}$/m);
    assert.ok(text.includes(`NODE_EXTRA_CA_CERTS=${join(home, "server", "ca.pem")}`));
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
  });

  it("refuses a non-loopback address in open mode (exit 5, one line)", async () => {
    const server = serve(home, ["--host", "0.0.0.0", "--port", "0"]);
    assert.equal(await server.exited, 5);
    assert.match(server.stderr(), /^orbitra: Refusing to listen on 0\.0\.0\.0: .*loopback/);
    assert.equal(server.stderr().trim().split("\n").length, 1);
  });

  it("--max-connections takes a whole number from 1 (exit 2 otherwise)", async () => {
    const server = serve(home, ["--port", "0", "--max-connections", "0"]);
    assert.equal(await server.exited, 2);
    assert.match(server.stderr(), /--max-connections must be a whole number from 1 to 100000, not '0'/);
  });

  it("reports a port in use clearly (exit 7, one line)", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const server = serve(home, ["--port", String(port)]);
      assert.equal(await server.exited, 7);
      assert.equal(server.stderr().trim(), `orbitra: Port ${port} on 127.0.0.1 is already in use: stop the other server, or pick another --port (0 takes any free one).`);
    } finally {
      blocker.close();
    }
  });

  it("usage errors exit 2; --help documents options and examples", async () => {
    const bad = serve(home, ["--throttle-rate", "2"]);
    assert.equal(await bad.exited, 2);
    assert.match(bad.stderr(), /--throttle-rate must be a number from 0 to 1/);
    const help = serve(home, ["--help"]);
    assert.equal(await help.exited, 0);
    for (const text of ["--vault <name>", "--san <name>", "--throttle-status", "--retry-after", "Examples:", "NODE_EXTRA_CA_CERTS", "default"]) {
      assert.ok(help.stdout().includes(text), text);
    }
  });
});

describe("startVaultServer (in-process)", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "orbitra-serve-inproc-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("close() lets a request in flight finish, then closes the stores", async () => {
    const running = await startVaultServer({ dataDir: join(dir, "graceful"), port: 0, env: {}, faults: { latencyMs: 300 } });
    const store = running.store();
    store.setSecret("slow", "v");
    const inFlight = rawRequest(running.vaults[0]!.url, running.ca, { path: "/secrets/slow/?api-version=7.4", headers: { authorization: "Bearer t" } });
    await new Promise((r) => setTimeout(r, 100));
    const closed = running.close();
    const reply = await inFlight;
    assert.equal(reply.status, 200);
    assert.equal(JSON.parse(reply.body).value, "v");
    assert.equal(reply.headers.connection, "close", "a keep-alive client is told the connection ends");
    await closed;
    assert.throws(() => store.listSecrets(), "the store is closed after the server");
    await assert.rejects(rawRequest(running.vaults[0]!.url, running.ca, { path: "/secrets?api-version=7.4" }), /ECONNREFUSED/);
    await running.close(); // idempotent
  });

  it("re-issues the server certificate for new --san names and for a replaced CA", async () => {
    const data = join(dir, "tls");
    const first = await startVaultServer({ dataDir: data, port: 0, env: {} });
    await first.close();
    const withSan = await startVaultServer({ dataDir: data, port: 0, env: {}, sans: ["myhost.test", "10.1.2.3"] });
    const cert = new X509Certificate(readFileSync(join(data, "server.pem")));
    assert.match(cert.subjectAltName ?? "", /DNS:myhost\.test/);
    assert.match(cert.subjectAltName ?? "", /IP Address:10\.1\.2\.3/);
    await withSan.close();
    unlinkSync(join(data, "ca.pem"));
    const newCa = await startVaultServer({ dataDir: data, port: 0, env: {}, sans: ["myhost.test", "10.1.2.3"] });
    assert.ok(new X509Certificate(readFileSync(join(data, "server.pem"))).checkIssued(new X509Certificate(newCa.ca)));
    const client = new SecretClient(newCa.vaults[0]!.url, credential, sdkClientOptions(newCa.ca));
    assert.equal((await client.setSecret("after-new-ca", "ok")).value, "ok");
    await newCa.close();
  });

  it("refuses bad vault names, duplicates, and ports that do not fit", async () => {
    await assert.rejects(startVaultServer({ dataDir: join(dir, "names"), vaults: ["a_b"], env: {} }), { code: "Configuration" });
    await assert.rejects(startVaultServer({ dataDir: join(dir, "names"), vaults: ["../../etc"], env: {} }), { code: "Configuration" });
    await assert.rejects(startVaultServer({ dataDir: join(dir, "names"), vaults: ["dev", "DEV"], env: {} }), { code: "Configuration" });
    await assert.rejects(startVaultServer({ dataDir: join(dir, "names"), vaults: ["aaa", "bbb"], port: 65535, env: {} }), { code: "Configuration" });
  });
});
