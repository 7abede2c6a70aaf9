import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { opensslDir, type OpensslDir } from "../helpers/openssl.js";
import { startTestServer } from "../helpers/server.js";
import { cli, type CliResult } from "./run.js";

const run = promisify(execFile);

interface CertsCliTarget {
  env: NodeJS.ProcessEnv;
  environment: string;
  close(): Promise<void>;
}

/** `orbitra certs`, in-process against one vault: the same checks for local and a served vault. */
function runCertsCli(label: string, setup: (home: string) => Promise<CertsCliTarget>): void {
  describe(`orbitra certs (in-process, ${label})`, () => {
    let home: string;
    let target: CertsCliTarget;
    let ssl: OpensslDir;
    const certs = (args: string[], input?: string): Promise<CliResult> => cli(["certs", ...args, "-e", target.environment], target.env, input === undefined ? {} : { input });
    const ok = async (args: string[], input?: string): Promise<CliResult> => {
      const result = await certs(args, input);
      assert.equal(result.code, 0, `orbitra certs ${args.join(" ")}: ${result.stderr}`);
      return result;
    };
    const file = (name: string): string => join(home, name);

    before(async () => {
      home = mkdtempSync(join(tmpdir(), "orbitra-certs-cli-"));
      target = await setup(home);
      ssl = opensslDir();
    });
    after(async () => {
      ssl.close();
      await target.close();
      rmSync(home, { recursive: true, force: true });
    });

    it("create dev-tls --san localhost, download --format pem: a Node https server starts with the files and curl --cacert accepts it", async () => {
      assert.match((await ok(["create", "dev-tls", "--san", "localhost"])).stdout, /^Created dev-tls \(version [0-9a-f]{32}, expires /);
      assert.equal((await ok(["download", "dev-tls", "--format", "pem"])).stdout, "Wrote dev-tls.key, dev-tls.crt.\n");
      assert.equal(statSync(file("dev-tls.key")).mode & 0o777, 0o600);
      const key = readFileSync(file("dev-tls.key"));
      const cert = readFileSync(file("dev-tls.crt"));
      assert.equal(new X509Certificate(cert).subject, "CN=localhost");
      const server = createServer({ key, cert }, (_req, res) => res.end("served by dev-tls\n"));
      server.listen(0, "127.0.0.1");
      await once(server, "listening");
      try {
        const port = (server.address() as AddressInfo).port;
        const { stdout } = await run("curl", ["--silent", "--show-error", "--cacert", file("dev-tls.crt"), "--resolve", `localhost:${port}:127.0.0.1`, `https://localhost:${port}/`]);
        assert.equal(stdout, "served by dev-tls\n");
      } finally {
        server.close();
      }
      assert.equal((await certs(["download", "dev-tls", "--format", "pem"])).code, 2, "no overwrite without --force");
      await ok(["download", "dev-tls", "--format", "pem", "--force"]);
    });

    it("shows, lists and versions; the flags reach the certificate (openssl x509 -text)", async () => {
      await ok(["create", "api", "--subject", "CN=api.example.com", "--san", "api.example.com", "--san", "10.0.0.1", "--key-type", "EC", "--curve", "P-384", "--validity-months", "3", "--ekus", "1.3.6.1.5.5.7.3.1", "--tag", "team=a"]);
      const text = (await ok(["show", "api"])).stdout;
      assert.match(text, /^subject +CN=api\.example\.com$/m);
      assert.match(text, /^keyType +EC$/m);
      assert.match(text, /^tag team +a$/m);
      await ok(["download", "api", "--format", "cer"]);
      const dump = ssl.run("x509", "-inform", "DER", "-in", file("api.cer"), "-noout", "-text");
      assert.match(dump, /DNS:api\.example\.com, IP Address:10\.0\.0\.1/);
      assert.match(dump, /ASN1 OID: secp384r1/);
      assert.match(dump, /TLS Web Server Authentication/);
      assert.doesNotMatch(dump, /TLS Web Client Authentication/);
      const listed = (await ok(["list"])).stdout.split("\n");
      assert.ok(listed.includes("api") && listed.includes("dev-tls"));
      await ok(["create", "api", "--subject", "CN=api.example.com", "--key-type", "EC"]);
      assert.equal((await ok(["versions", "api"])).stdout.trim().split("\n").length, 2);
      const policy = JSON.parse((await ok(["policy", "api", "--json"])).stdout) as { policy: { key_props: { kty: string } } };
      assert.equal(policy.policy.key_props.kty, "EC");
      assert.equal((await certs(["show", "missing"])).code, 3);
    });

    it("csr then merge of what openssl signed; the PFX download opens with its password", async () => {
      const csr = (await ok(["csr", "partner", "--subject", "CN=partner.example"])).stdout;
      assert.match(csr, /^-----BEGIN CERTIFICATE REQUEST-----/);
      assert.match((await ok(["list", "--include-pending"])).stdout, /^partner {2}\(pending\)$/m);
      assert.equal((await ok(["csr", "partner"])).stdout, csr, "a second csr prints the pending request");
      ssl.write("partner.csr", csr);
      ssl.run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=CLI CA", "-days", "5");
      ssl.run("x509", "-req", "-in", "partner.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "5", "-out", "partner.crt");
      await ok(["merge", "partner", "--file", ssl.path("partner.crt"), "--file", ssl.path("ca.pem")]);
      assert.match((await ok(["show", "partner"])).stdout, /^issuer +CN=CLI CA$/m);
      await ok(["download", "partner", "--format", "pfx", "--password", "-o", "partner.pfx"], "cli-pfx-pw\n");
      assert.equal(statSync(file("partner.pfx")).mode & 0o777, 0o600);
      const out = ssl.run("pkcs12", "-in", file("partner.pfx"), "-passin", "pass:cli-pfx-pw", "-nokeys");
      assert.match(out, /subject=CN ?= ?CLI CA/);
    });

    it("imports a PFX with its password from stdin; a wrong one exits with the vault's refusal and writes nothing", async () => {
      ssl.run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "i.key", "-out", "i.crt", "-subj", "/CN=imported", "-days", "9");
      ssl.run("pkcs12", "-export", "-inkey", "i.key", "-in", "i.crt", "-out", "i.pfx", "-passout", "pass:import-pw");
      const bad = await certs(["import", "imp", "--file", ssl.path("i.pfx"), "--password"], "zq-bad-pw-zq\n");
      assert.equal(bad.code, 2, bad.stderr);
      assert.doesNotMatch(bad.stderr, /import-pw|zq-bad-pw-zq/);
      assert.equal((await certs(["show", "imp"])).code, 3);
      await ok(["import", "imp", "--file", ssl.path("i.pfx"), "--password", "--content-type", "pem"], "import-pw\n");
      await ok(["download", "imp", "-o", "imp.pem"]);
      assert.match(readFileSync(file("imp.pem"), "utf8"), /BEGIN PRIVATE KEY/);
    });

    it("updates, deletes, recovers, purges, backs up and restores; keeps contacts", async () => {
      await ok(["create", "life", "--san", "life.example"]);
      assert.equal((JSON.parse((await ok(["update", "life", "--disable", "--json"])).stdout) as { enabled: boolean }).enabled, false);
      await ok(["backup", "life", "-o", file("life.backup")]);
      assert.match((await ok(["delete", "life"])).stdout, /^Deleted life; recoverable until /);
      assert.match((await ok(["deleted"])).stdout, /^life {2}purge /m);
      await ok(["recover", "life"]);
      await ok(["delete", "life"]);
      await ok(["purge", "life", "--yes"]);
      await ok(["restore", "--file", file("life.backup")]);
      assert.match((await ok(["show", "life"])).stdout, /^sans +DNS:life\.example$/m);
      assert.equal((await ok(["contacts"])).stdout, "No certificate contacts.\n");
      await ok(["contacts", "--add", "ops@example.com,Ops"]);
      assert.equal((await ok(["contacts"])).stdout, "ops@example.com  Ops\n");
      await ok(["contacts", "--clear"]);
      await ok(["issuers", "--issuer", "dc", "--provider", "DigiCert", "--account-id", "acct", "--password"], "cli-issuer-pw\n");
      assert.equal((await ok(["issuers"])).stdout, "dc  DigiCert\n");
      assert.doesNotMatch((await ok(["issuers", "--issuer", "dc", "--json"])).stdout, /cli-issuer-pw/);
      await ok(["issuers", "--issuer", "dc", "--delete"]);
      assert.equal((await certs(["issuers", "--issuer", "dc"])).code, 3);
    });

    it("refuses impossible flags before the vault, with usage errors", async () => {
      assert.equal((await certs(["create", "x", "--key-size", "big"])).code, 2);
      assert.equal((await certs(["create", "x", "--content-type", "docx"])).code, 2);
      const impossible = await certs(["create", "x", "--key-type", "RSA", "--key-size", "1000"]);
      assert.notEqual(impossible.code, 0);
      assert.match(impossible.stderr, /key_props\.key_size/);
      writeFileSync(file("bad-policy.json"), "{not json");
      assert.equal((await certs(["create", "x", "--policy", file("bad-policy.json")])).code, 2);
      assert.equal((await certs(["show", "x"])).code, 3);
    });
  });
}

runCertsCli("local environment", async (home) => ({
  env: { ORBITRA_HOME: home, ORBITRA_KEY_VAULT_LOCALCERTS: `local:${join(home, "certs.db")}` },
  environment: "localcerts",
  close: async () => {},
}));

// The same commands through the Key Vault backend (official SDK) to `orbitra vault serve`.
runCertsCli("a served vault", async (home) => {
  const server = await startTestServer();
  return {
    env: { ORBITRA_HOME: home, ORBITRA_KEY_VAULT_DEV: server.url, ORBITRA_CA_FILE_DEV: server.caFile },
    environment: "dev",
    close: () => server.close(),
  };
});
