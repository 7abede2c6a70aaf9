import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SecretClient } from "@azure/keyvault-secrets";
import { X509Certificate } from "node:crypto";
import { testCredential } from "../helpers/server.js";

const main = join(import.meta.dirname, "..", "..", "src", "cli", "main.ts");

/** Starts `orbitra vault serve --json` as users do and waits for its ready line (never a sleep). */
function serve(home: string, extra: string[] = []) {
  const child = spawn(process.execPath, ["--import", "tsx", main, "vault", "serve", "--port", "0", "--json", ...extra], {
    env: { PATH: process.env.PATH, ORBITRA_HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const ready = new Promise<{ vaults: { name: string; url: string }[]; caFile: string }>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(JSON.parse(out.split("\n")[0]!));
    });
    child.on("exit", (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
  ready.catch(() => undefined); // a test that expects a failed start awaits `exited` instead
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, ready, exited, stderr: () => stderr };
}

describe("orbitra vault serve (the command)", () => {
  let home: string;
  before(() => (home = mkdtempSync(join(tmpdir(), "orbitra-serve-"))));
  after(() => rmSync(home, { recursive: true, force: true }));

  it("prints a JSON ready line; the official SDK connects with the CA; SIGTERM stops it cleanly", async () => {
    const server = serve(home, ["--vault", "dev", "--vault", "staging"]);
    const info = await server.ready;
    assert.deepEqual(info.vaults.map((v) => v.name), ["dev", "staging"]);
    assert.equal(info.caFile, join(home, "server", "ca.pem"));
    const ca = readFileSync(info.caFile);
    const dev = new SecretClient(info.vaults[0]!.url, testCredential, { tlsOptions: { ca }, disableChallengeResourceVerification: true });
    const staging = new SecretClient(info.vaults[1]!.url, testCredential, { tlsOptions: { ca }, disableChallengeResourceVerification: true });
    await dev.setSecret("only-in-dev", "d");
    assert.equal((await dev.getSecret("only-in-dev")).value, "d");
    await assert.rejects(staging.getSecret("only-in-dev"), { statusCode: 404 });
    server.child.kill("SIGTERM");
    assert.equal(await server.exited, 0);
    assert.match(server.stderr(), /GET \/secrets\/only-in-dev\/ 200/);
    assert.doesNotMatch(server.stderr(), /"d"/);
  });

  it("reuses its CA on the next start, and the data survives", async () => {
    const caBefore = readFileSync(join(home, "server", "ca.pem"), "utf8");
    const server = serve(home, ["--vault", "dev", "--quiet"]);
    const info = await server.ready;
    assert.equal(readFileSync(info.caFile, "utf8"), caBefore);
    const cert = new X509Certificate(readFileSync(join(home, "server", "server.pem")));
    assert.match(cert.subjectAltName ?? "", /DNS:localhost/);
    assert.match(cert.subjectAltName ?? "", /IP Address:127\.0\.0\.1/);
    assert.ok(cert.checkIssued(new X509Certificate(caBefore)));
    const client = new SecretClient(info.vaults[0]!.url, testCredential, { tlsOptions: { ca: caBefore }, disableChallengeResourceVerification: true });
    assert.equal((await client.getSecret("only-in-dev")).value, "d");
    server.child.kill("SIGINT");
    assert.equal(await server.exited, 0);
    assert.equal(server.stderr(), "", "--quiet logs nothing");
  });

  it("refuses to bind a non-loopback address in open mode, with exit 5", async () => {
    const server = serve(home, ["--host", "0.0.0.0"]);
    assert.equal(await server.exited, 5);
    assert.match(server.stderr(), /Refusing to listen on 0\.0\.0\.0/);
  });
});
