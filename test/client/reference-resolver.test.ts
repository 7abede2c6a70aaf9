import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { getSecretsClient } from "../../src/client/get-secrets-client.js";
import {
  resolveSecretReferences,
  SecretReferenceResolver,
  type ReferenceTarget,
} from "../../src/client/reference-resolver.js";
import type { OrbitraSecretsClient } from "../../src/client/secrets-client.js";
import type { SecretResolutionError } from "../../src/core/errors.js";
import { SecretStr } from "../../src/core/secret-str.js";
import { StubBackend, stubClient } from "./fakes.js";

const SECRET_VALUES = ["local-db-secret-1", "local-db-secret-2", "staging-api-secret"];

describe("secret reference resolver (real local environments)", () => {
  let root: string;
  let options: { environment: string; env: NodeJS.ProcessEnv; cwd: string };
  let firstVersion: string;
  const clients: OrbitraSecretsClient[] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "orbitra-refs-"));
    writeFileSync(join(root, "orbitra.toml"), '[environments.staging]\nkey_vault = "local:./staging.db"\n');
    options = { environment: "local", env: { ORBITRA_HOME: join(root, "home") }, cwd: root };
    const local = getSecretsClient(options);
    const staging = getSecretsClient({ ...options, environment: "staging" });
    clients.push(local, staging);
    firstVersion = (await local.writeSecret("db-password", SECRET_VALUES[0]!)).version!;
    await local.writeSecret("db-password", SECRET_VALUES[1]!);
    await local.writeSecret("empty", "");
    await staging.writeSecret("api-key", SECRET_VALUES[2]!);
  });
  after(async () => {
    for (const client of clients) await client.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("returns a resolved copy: references replaced, everything else copied as it is", async () => {
    const values = {
      PLAIN: "just text",
      DB: "orbitra://db-password",
      DB_OLD: `orbitra://db-password/${firstVersion}`,
      API: "orbitra://api-key?environment=staging",
      EMPTY: "orbitra://empty",
      EMBEDDED: "postgres://u:orbitra://db-password@h", // not a whole-value reference
      UNSET: undefined,
    };
    const resolved = await resolveSecretReferences(values, options);
    assert.deepEqual(Object.keys(resolved), ["PLAIN", "DB", "DB_OLD", "API", "EMPTY", "EMBEDDED"]);
    assert.equal(resolved.PLAIN, "just text");
    assert.equal(resolved.EMBEDDED, values.EMBEDDED);
    assert.ok(resolved.DB === SECRET_VALUES[1] && resolved.DB_OLD === SECRET_VALUES[0] && resolved.API === SECRET_VALUES[2]);
    assert.equal(resolved.EMPTY, "");
    assert.equal(values.DB, "orbitra://db-password", "the input is not modified");
  });

  it("keeps resolved values hidden in SecretStr until asked for strings", async () => {
    const resolver = new SecretReferenceResolver(options);
    try {
      const resolved = await resolver.resolveToSecrets({ DB: "orbitra://db-password", PLAIN: "x" });
      assert.ok(resolved.DB instanceof SecretStr && resolved.DB.equals(SECRET_VALUES[1]!));
      assert.equal(resolved.PLAIN, "x");
      assert.equal(JSON.stringify(resolved), '{"DB":"**********","PLAIN":"x"}');
    } finally {
      await resolver.close();
    }
  });

  it("reports every unresolved reference at once, in key order, and never a value", async () => {
    const values = {
      A_MISSING: "orbitra://does-not-exist",
      B_OK: "orbitra://db-password",
      C_MALFORMED: "orbitra://bad_name",
      D_NO_ENV: "orbitra://db-password?environment=nowhere",
      E_APP_SERVICE: "@Microsoft.KeyVault(SecretName=x",
      F_PLAIN: "text",
      G_BAD_VERSION: `orbitra://db-password/${"0".repeat(32)}`,
    };
    await assert.rejects(resolveSecretReferences(values, options), (error: SecretResolutionError) => {
      assert.equal(error.code, "SecretResolution");
      assert.deepEqual(
        error.failures.map((f) => [f.key, f.reference]),
        [
          ["A_MISSING", values.A_MISSING],
          ["C_MALFORMED", values.C_MALFORMED],
          ["D_NO_ENV", values.D_NO_ENV],
          ["E_APP_SERVICE", values.E_APP_SERVICE],
          ["G_BAD_VERSION", values.G_BAD_VERSION],
        ],
      );
      const [missing, malformed, noEnv, appService, badVersion] = error.failures;
      assert.match(missing!.reason, /^SecretNotFound/);
      assert.match(malformed!.reason, /malformed reference: 'bad_name' is not a secret name/);
      assert.match(noEnv!.reason, /^Configuration: No vault is configured for environment 'nowhere'/);
      assert.match(appService!.reason, /closing '\)'/);
      assert.match(badVersion!.reason, /^SecretNotFound/);
      assert.match(error.message, /^5 secret references could not be resolved: A_MISSING = orbitra:\/\/does-not-exist/);
      const text = `${error.message} ${JSON.stringify(error.failures)}`;
      assert.ok(SECRET_VALUES.every((secret) => !text.includes(secret)), "no secret value in the error");
      return true;
    });
  });

  it("reads each reference once per resolver (instance-local cache), however many settings use it", async () => {
    const backend = new StubBackend();
    backend.values.set("shared", "shared value");
    const targets: ReferenceTarget[] = [];
    const resolver = new SecretReferenceResolver({
      environment: "dev",
      clientFor: (target) => {
        targets.push(target);
        return stubClient(backend);
      },
    });
    const first = await resolver.resolve({ A: "orbitra://shared", B: "orbitra://SHARED", C: "orbitra://shared?environment=dev" });
    const second = await resolver.resolve({ D: "orbitra://shared" });
    assert.ok(first.A === "shared value" && first.B === "shared value" && first.C === "shared value" && second.D === "shared value");
    assert.equal(backend.calls.length, 1);
    assert.deepEqual(targets, [{ kind: "environment", environment: "dev" }]);
    const other = new SecretReferenceResolver({ environment: "dev", clientFor: () => stubClient(backend) });
    await other.resolve({ A: "orbitra://shared" });
    assert.equal(backend.calls.length, 2, "another resolver has its own cache");
  });

  it("does not remember failures: a later call tries again", async () => {
    const backend = new StubBackend();
    const resolver = new SecretReferenceResolver({ clientFor: () => stubClient(backend) });
    await assert.rejects(resolver.resolve({ A: "orbitra://later" }), { code: "SecretResolution" });
    backend.values.set("later", "now there");
    assert.ok((await resolver.resolve({ A: "orbitra://later" })).A === "now there");
  });

  it("sends App Service references to the vault they name, and orbitra ones to environments", async () => {
    const backend = new StubBackend();
    backend.values.set("x", "x value");
    const targets: ReferenceTarget[] = [];
    const resolved = await resolveSecretReferences(
      {
        BY_NAME: "@Microsoft.KeyVault(VaultName=MyVault;SecretName=x)",
        BY_URI: "@Microsoft.KeyVault(SecretUri=https://MyVault.vault.azure.net/secrets/x/)",
        OTHER_ENV: "orbitra://x?environment=qa",
        DEFAULT_ENV: "orbitra://x",
      },
      {
        clientFor: (target) => {
          targets.push(target);
          return stubClient(backend);
        },
      },
    );
    assert.ok(Object.values(resolved).every((value) => value === "x value"));
    assert.deepEqual(targets, [
      { kind: "vault", keyVault: "myvault" },
      { kind: "vault", keyVault: "https://myvault.vault.azure.net" },
      { kind: "environment", environment: "qa" },
      { kind: "environment", environment: "prod" },
    ]);
  });
});
