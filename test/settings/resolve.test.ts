import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { getAvailableEnvironments, resolveDefaultEnvironment, resolveVaultTarget } from "../../src/settings/index.js";

describe("settings: vault resolution per environment", () => {
  let root: string;
  let home: string;
  let project: string;
  let cwd: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "orbitra-settings-"));
    home = join(root, "home");
    project = join(root, "repo");
    cwd = join(project, "packages", "api");
    mkdirSync(home, { recursive: true });
    mkdirSync(cwd, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const env = (extra: Record<string, string> = {}) => ({ ORBITRA_HOME: home, ...extra });

  it("always has a local environment that needs no configuration", () => {
    const target = resolveVaultTarget({ environment: "local", cwd, env: env() });
    assert.deepEqual(target, { kind: "local", environment: "local", path: join(home, "local", "vault.db") });
    assert.deepEqual(getAvailableEnvironments({ cwd, env: env() }), ["local"]);
    assert.equal(resolveDefaultEnvironment({ cwd, env: env() }), "local");
  });

  it("fails with a ConfigurationError naming the environment and the ways to fix it", () => {
    assert.throws(
      () => resolveVaultTarget({ environment: "prod", cwd, env: env() }),
      (error: { code: string; message: string }) => {
        assert.equal(error.code, "Configuration");
        assert.match(error.message, /'prod'/);
        assert.match(error.message, /--key-vault/);
        assert.match(error.message, /ORBITRA_KEY_VAULT_PROD/);
        assert.match(error.message, /orbitra\.toml/);
        return true;
      },
    );
  });

  it("reads orbitra.toml from a parent folder and resolves relative paths from the file", () => {
    writeFileSync(
      join(project, "orbitra.toml"),
      [
        'default_environment = "dev"',
        "[environments.prod]",
        'key_vault = "contoso-prod"',
        'tenant_id = "tenant-1"',
        "[environments.dev]",
        'key_vault = "https://127.0.0.1:8443"',
        'ca_file = "certs/ca.pem"',
        "[environments.scratch]",
        'key_vault = "local:.orbitra/scratch.db"',
      ].join("\n"),
    );
    assert.deepEqual(resolveVaultTarget({ environment: "prod", cwd, env: env() }), {
      kind: "azure",
      environment: "prod",
      vaultUrl: "https://contoso-prod.vault.azure.net",
      tenantId: "tenant-1",
    });
    assert.deepEqual(resolveVaultTarget({ environment: "DEV", cwd, env: env() }), {
      kind: "server",
      environment: "dev",
      vaultUrl: "https://127.0.0.1:8443",
      caFile: join(project, "certs", "ca.pem"),
    });
    assert.deepEqual(resolveVaultTarget({ environment: "scratch", cwd, env: env() }), {
      kind: "local",
      environment: "scratch",
      path: join(project, ".orbitra", "scratch.db"),
      explicit: true,
    });
    assert.deepEqual(getAvailableEnvironments({ cwd, env: env() }), ["dev", "local", "prod", "scratch"]);
    assert.equal(resolveDefaultEnvironment({ cwd, env: env() }), "dev");
  });

  it("merges by priority: argument > variables > .env > orbitra.toml > user settings", () => {
    writeFileSync(join(home, "settings.toml"), '[environments.prod]\nkey_vault = "from-user"\nclient_id = "user-client"\n');
    const url = (extra: Record<string, string> = {}, keyVault?: string) => {
      const target = resolveVaultTarget({ environment: "prod", cwd, env: env(extra), ...(keyVault ? { keyVault } : {}) });
      assert.notEqual(target.kind, "local");
      return target.kind === "local" ? "" : target.vaultUrl;
    };
    assert.equal(url(), "https://from-user.vault.azure.net");
    writeFileSync(join(project, "orbitra.toml"), '[environments.prod]\nkey_vault = "from-toml"\n');
    assert.equal(url(), "https://from-toml.vault.azure.net");
    writeFileSync(join(cwd, ".env"), "ORBITRA_KEY_VAULT_PROD=from-dotenv\nUNRELATED=1\n");
    assert.equal(url(), "https://from-dotenv.vault.azure.net");
    assert.equal(url({ ORBITRA_KEY_VAULT_PROD: "from-env" }), "https://from-env.vault.azure.net");
    assert.equal(url({ ORBITRA_KEY_VAULT_PROD: "from-env" }, "from-arg"), "https://from-arg.vault.azure.net");
    // A field no higher source sets still comes from the lower one.
    const target = resolveVaultTarget({ environment: "prod", cwd, env: env() });
    assert.equal(target.kind === "azure" && target.clientId, "user-client");
  });

  it("does not carry a CA file over to a vault named by a higher source", () => {
    writeFileSync(join(project, "orbitra.toml"), '[environments.dev]\nkey_vault = "https://127.0.0.1:8443"\nca_file = "ca.pem"\n');
    const target = resolveVaultTarget({ environment: "dev", cwd, env: env({ ORBITRA_KEY_VAULT_DEV: "https://127.0.0.1:9443" }) });
    assert.deepEqual(target, { kind: "server", environment: "dev", vaultUrl: "https://127.0.0.1:9443" });
  });

  it("honours a sovereign-cloud suffix and recognises Azure URLs", () => {
    const cn = resolveVaultTarget({ environment: "prod", keyVault: "contoso", cwd, env: env({ ORBITRA_VAULT_SUFFIX: "vault.azure.cn" }) });
    assert.equal(cn.kind === "azure" && cn.vaultUrl, "https://contoso.vault.azure.cn");
    const url = resolveVaultTarget({ environment: "x", keyVault: "https://contoso.vault.azure.net/", cwd, env: env() });
    assert.equal(url.kind, "azure");
  });

  it("refuses malformed vault specs and settings files with a clear ConfigurationError", () => {
    for (const keyVault of ["http://127.0.0.1:8443", "https://host/vault1", "bad_name", "ab", "local:"]) {
      assert.throws(() => resolveVaultTarget({ environment: "prod", keyVault, cwd, env: env() }), { code: "Configuration" });
    }
    writeFileSync(join(project, "orbitra.toml"), "[environments.prod\nkey_vault = 1\n");
    assert.throws(
      () => resolveVaultTarget({ environment: "prod", cwd, env: env() }),
      (error: { code: string; message: string }) => error.code === "Configuration" && error.message.includes("orbitra.toml"),
    );
    writeFileSync(join(project, "orbitra.toml"), "[environments.prod]\nkey_vault = 1\n");
    assert.throws(() => resolveVaultTarget({ environment: "prod", cwd, env: env() }), /key_vault' must be a non-empty string/);
  });
});
