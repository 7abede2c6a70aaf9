import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { defaultSans, ensureTlsMaterial } from "../../src/server/tls.js";
import { getAvailableEnvironments, resolveVaultTarget } from "../../src/settings/index.js";

const ORG_TOML = `
default_environment = "dev"
[environments.prod]
key_vault = "acme-prod"
tenant_id = "acme-tenant"
[environments.dev]
key_vault = "acme-dev"
`;

describe("settings: the organisation's settings, the lowest-priority source", () => {
  let root: string;
  let home: string;
  let cwd: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "orbitra-org-"));
    home = join(root, "home");
    cwd = join(root, "repo");
    mkdirSync(home, { recursive: true });
    mkdirSync(cwd, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("a TOML file named by ORBITRA_ORG_SETTINGS fills in what nothing higher sets, field by field", () => {
    writeFileSync(join(root, "org.toml"), ORG_TOML);
    writeFileSync(join(cwd, "orbitra.toml"), `[environments.prod]\nkey_vault = "team-prod"\n`);
    const env = { ORBITRA_HOME: home, ORBITRA_ORG_SETTINGS: join(root, "org.toml") };
    assert.deepEqual(getAvailableEnvironments({ cwd, env }), ["dev", "local", "prod"]);
    const prod = resolveVaultTarget({ environment: "prod", cwd, env });
    assert.deepEqual([prod.kind === "azure" && prod.vaultUrl, prod.kind === "azure" && prod.tenantId], ["https://team-prod.vault.azure.net", "acme-tenant"]);
    const dev = resolveVaultTarget({ environment: "dev", cwd, env });
    assert.equal(dev.kind === "azure" && dev.vaultUrl, "https://acme-dev.vault.azure.net");
  });

  it("a JSON file named in the user settings, relative to ORBITRA_HOME", () => {
    writeFileSync(join(home, "acme.json"), JSON.stringify({ environments: { qa: { key_vault: "acme-qa" } } }));
    writeFileSync(join(home, "settings.toml"), `org_settings = "acme.json"\n`);
    const target = resolveVaultTarget({ environment: "qa", cwd, env: { ORBITRA_HOME: home } });
    assert.equal(target.kind === "azure" && target.vaultUrl, "https://acme-qa.vault.azure.net");
  });

  it("an installed package (npm:NAME), resolved from the working directory", () => {
    const pkg = join(cwd, "node_modules", "@acme", "orbitra-settings");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "@acme/orbitra-settings", main: "index.js" }));
    writeFileSync(join(pkg, "index.js"), `module.exports = { environments: { staging: { key_vault: "acme-staging" } } };`);
    const env = { ORBITRA_HOME: home, ORBITRA_ORG_SETTINGS: "npm:@acme/orbitra-settings" };
    assert.equal(resolveVaultTarget({ environment: "staging", cwd, env }).kind, "azure");
    assert.throws(() => resolveVaultTarget({ environment: "staging", cwd, env: { ...env, ORBITRA_ORG_SETTINGS: "npm:@acme/missing" } }), /not installed here/);
  });

  it("bad org settings are a configuration error naming the file; a project file may not name them", () => {
    writeFileSync(join(root, "bad.toml"), `[environments.prod]\nkey_vault = 3\n`);
    assert.throws(() => getAvailableEnvironments({ cwd, env: { ORBITRA_HOME: home, ORBITRA_ORG_SETTINGS: join(root, "bad.toml") } }), /bad\.toml.*key_vault/);
    assert.throws(() => getAvailableEnvironments({ cwd, env: { ORBITRA_HOME: home, ORBITRA_ORG_SETTINGS: join(root, "absent.toml") } }), /ENOENT/);
    writeFileSync(join(cwd, "orbitra.toml"), `org_settings = "npm:evil"\n`);
    assert.throws(() => getAvailableEnvironments({ cwd, env: { ORBITRA_HOME: home } }), /only \$ORBITRA_HOME\/settings.toml or ORBITRA_ORG_SETTINGS/);
  });

  it("an https:// URL is read from the copy `orbitra env sync` downloads; a failed sync keeps the old copy", async () => {
    const tls = await ensureTlsMaterial(join(root, "tls"), defaultSans());
    let body = ORG_TOML;
    let status = 200;
    const server = createServer({ key: tls.key, cert: tls.cert }, (_req, res) => {
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/orbitra.toml`;
    const env = { ORBITRA_HOME: home, ORBITRA_ORG_SETTINGS: url, PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: tls.caFile };
    const cli = (args: string[]) =>
      new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
        execFile(process.execPath, ["--import", import.meta.resolve("tsx"), join(import.meta.dirname, "..", "..", "src", "cli", "main.ts"), ...args], { env, cwd }, (error, stdout, stderr) =>
          resolve({ status: error ? Number(error.code) : 0, stdout, stderr }),
        ),
      );
    try {
      const before = await cli(["env", "list"]);
      assert.match(before.stderr, /not downloaded yet: run 'orbitra env sync'/);
      const sync = await cli(["env", "sync", "--json"]);
      assert.equal(sync.status, 0, sync.stderr);
      assert.deepEqual((JSON.parse(sync.stdout) as { environments: string[] }).environments, ["dev", "prod"]);
      const list = await cli(["env", "list", "--json"]);
      assert.deepEqual((JSON.parse(list.stdout) as { name: string }[]).map((r) => r.name), ["dev", "local", "prod"]);

      status = 500;
      body = "oops";
      const failed = await cli(["env", "sync"]);
      assert.equal(failed.status, 7, failed.stderr);
      assert.match(failed.stderr, /previous copy, if any, stays in use/);
      status = 200;
      body = "[environments.x]\nkey_vault = 3\n";
      assert.equal((await cli(["env", "sync"])).status, 5, "a document that is not valid settings is refused");
      assert.match(readFileSync(join(home, "cache", "org-settings.toml"), "utf8"), /acme-prod/);
    } finally {
      server.close();
    }
    assert.ok(existsSync(join(home, "cache", "org-settings.toml")));
  });
});
