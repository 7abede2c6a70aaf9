import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { credentialFor } from "../../src/auth/credential-for.js";
import { browserAvailable, hasAzureCli, isInteractive, selectCredentialSource, type CredentialSelectionInput } from "../../src/auth/credential-source.js";
import { AuthenticationError } from "../../src/core/errors.js";

const APP = { ORBITRA_APP_CLIENT_ID: "id", ORBITRA_APP_CLIENT_SECRET: "s" };
const MI = { ORBITRA_MANAGED_IDENTITY: "true" };
const ENV = { AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: "s" };

const pick = (env: NodeJS.ProcessEnv, azureCliInstalled = false, targetKind: "azure" | "server" = "azure") =>
  selectCredentialSource({ env, azureCliInstalled, targetKind });

test("chain order: app secret, managed identity, environment, Azure CLI, then nothing", () => {
  assert.equal(pick({ ...APP, ...MI, ...ENV }, true), "app-secret");
  assert.equal(pick({ ...MI, ...ENV }, true), "managed-identity");
  assert.equal(pick({ ...ENV }, true), "environment");
  assert.equal(pick({}, true), "azure-cli");
  assert.equal(pick({}, false), "none");
});

test("a half-set link does not apply", () => {
  assert.equal(pick({ ORBITRA_APP_CLIENT_ID: "id" }), "none");
  assert.equal(pick({ AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: "s" }), "none");
  assert.equal(pick({ ORBITRA_MANAGED_IDENTITY: "no" }), "none");
  assert.equal(pick({ AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c", AZURE_CLIENT_CERTIFICATE_PATH: "/c.pem" }), "environment");
});

test("managed identity counts when configured or advertised by the host, never probed", () => {
  assert.equal(pick({ ORBITRA_MANAGED_IDENTITY_CLIENT_ID: "x" }), "managed-identity");
  assert.equal(pick({ IDENTITY_ENDPOINT: "http://169.254.169.254" }), "managed-identity");
});

test("a local server target: the app secret, else the open-mode placeholder", () => {
  assert.equal(pick({ ...APP, ...ENV }, true, "server"), "app-secret");
  assert.equal(pick({ ...ENV, ...MI }, true, "server"), "open-mode");
});

test("a saved orbitra login comes after the environment credentials and before the Azure CLI", () => {
  const with_ = (env: NodeJS.ProcessEnv, extra: Partial<CredentialSelectionInput>) =>
    selectCredentialSource({ env, azureCliInstalled: true, targetKind: "azure", savedLogin: true, ...extra });
  assert.equal(with_({ ...ENV }, {}), "environment");
  assert.equal(with_({ ...MI }, {}), "managed-identity");
  assert.equal(with_({}, {}), "user-login");
  assert.equal(with_({}, { savedLogin: false }), "azure-cli");
});

test("with nothing else, an interactive terminal signs in: browser, or device code when disabled or browserless", () => {
  const last = (env: NodeJS.ProcessEnv, interactive: boolean, browser: boolean) =>
    selectCredentialSource({ env, azureCliInstalled: false, targetKind: "azure", interactive, browser });
  assert.equal(last({}, true, true), "interactive-browser");
  assert.equal(last({ ORBITRA_INTERACTIVE_LOGIN_DISABLED: "true" }, true, true), "device-code");
  assert.equal(last({}, true, false), "device-code");
  // No one at a terminal (scripts, CI): fail fast instead of waiting on a prompt nobody sees.
  assert.equal(last({}, false, true), "none");
});

test("a local server target: app secret, then a saved login for that server, then open mode", () => {
  const server = (env: NodeJS.ProcessEnv, savedLogin: boolean) => selectCredentialSource({ env, azureCliInstalled: true, targetKind: "server", savedLogin, interactive: true, browser: true });
  assert.equal(server({ ...APP }, true), "app-secret");
  assert.equal(server({}, true), "user-login");
  assert.equal(server({}, false), "open-mode");
});

test("who can be prompted, and where a browser can open", () => {
  assert.equal(isInteractive({}, true, true), true);
  assert.equal(isInteractive({ CI: "true" }, true, true), false);
  assert.equal(isInteractive({}, false, true), false);
  assert.equal(browserAvailable({}, "linux"), false);
  assert.equal(browserAvailable({ DISPLAY: ":0" }, "linux"), true);
  assert.equal(browserAvailable({ DISPLAY: ":0", SSH_CONNECTION: "1 2 3 4" }, "linux"), false);
  assert.equal(browserAvailable({}, "darwin"), true);
});

test("az is found on PATH without running it", () => {
  const dir = mkdtempSync(join(tmpdir(), "orbitra-az-"));
  try {
    assert.equal(hasAzureCli({ PATH: dir }), false);
    writeFileSync(join(dir, process.platform === "win32" ? "az.cmd" : "az"), "#!/bin/sh\nexit 99\n", { mode: 0o755 });
    assert.equal(hasAzureCli({ PATH: dir }), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("nothing applies: fails at once with what to run", async () => {
  await assert.rejects(
    credentialFor({ kind: "azure", environment: "prod", vaultUrl: "https://x.vault.azure.net" }, { PATH: "" }),
    (error: unknown) =>
      error instanceof AuthenticationError && /orbitra login --env prod/.test(error.message) && /az login/.test(error.message) && /ORBITRA_APP_CLIENT_ID/.test(error.message),
  );
});

test("an app secret for Azure without a tenant is a configuration error naming the variable", async () => {
  await assert.rejects(
    credentialFor({ kind: "azure", environment: "prod", vaultUrl: "https://x.vault.azure.net" }, { ...APP, PATH: "" }),
    /ORBITRA_APP_TENANT_ID/,
  );
  const chosen = await credentialFor({ kind: "azure", environment: "prod", vaultUrl: "https://x.vault.azure.net", tenantId: "t1" }, { ...APP, PATH: "" });
  assert.equal(chosen.source, "app-secret");
  assert.equal(chosen.tenantId, "t1");
});

test("an environment whose name cannot be a login file still gets the rest of the chain", async () => {
  const home = mkdtempSync(join(tmpdir(), "orbitra-odd-env-"));
  try {
    const target = { kind: "azure" as const, environment: "my env/../x", vaultUrl: "https://x.vault.azure.net", tenantId: "t1" };
    const chosen = await credentialFor(target, { ...APP, PATH: "", ORBITRA_HOME: home }, { interactive: false });
    assert.equal(chosen.source, "app-secret");
    const { saveLogin } = await import("../../src/auth/login-files.js");
    assert.throws(
      () => saveLogin({ ORBITRA_HOME: home }, { environment: "my env/../x" } as never),
      (error: Error & { code?: string }) => error.code === "Configuration" && /cannot have a saved login/.test(error.message),
    );
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
