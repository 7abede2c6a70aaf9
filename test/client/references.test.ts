import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SecretResolutionError } from "../../src/core/errors.js";
import { formatSecretReference, isSecretReference, parseSecretReference, type SecretReference } from "../../src/settings/references.js";

const V = "0123456789abcdef0123456789ABCDEF";
const v = V.toLowerCase();

describe("secret references: parsing", () => {
  it("parses every documented form", () => {
    const table: [string, SecretReference][] = [
      ["orbitra://db-password", { scheme: "orbitra", name: "db-password" }],
      [`orbitra://db-password/${V}`, { scheme: "orbitra", name: "db-password", version: v }],
      ["orbitra://db-password?environment=Staging", { scheme: "orbitra", name: "db-password", environment: "staging" }],
      [`ORBITRA://x/${v}?environment=dev`, { scheme: "orbitra", name: "x", version: v, environment: "dev" }],
      [
        "@Microsoft.KeyVault(SecretUri=https://MyVault.vault.azure.net/secrets/db-password/)",
        { scheme: "keyvault", vaultUrl: "https://myvault.vault.azure.net", name: "db-password" },
      ],
      [
        `@Microsoft.KeyVault(SecretUri=https://myvault.vault.azure.net/secrets/db-password/${V})`,
        { scheme: "keyvault", vaultUrl: "https://myvault.vault.azure.net", name: "db-password", version: v },
      ],
      [
        "@Microsoft.KeyVault(SecretUri=https://127.0.0.1:8443/secrets/x)",
        { scheme: "keyvault", vaultUrl: "https://127.0.0.1:8443", name: "x" },
      ],
      ["@Microsoft.KeyVault(VaultName=MyVault;SecretName=db-password)", { scheme: "keyvault", vaultName: "myvault", name: "db-password" }],
      [
        `@microsoft.keyvault( vaultname = my-vault ; SecretName = x ; SecretVersion = ${V} ;)`,
        { scheme: "keyvault", vaultName: "my-vault", name: "x", version: v },
      ],
    ];
    for (const [text, expected] of table) {
      assert.ok(isSecretReference(text), text);
      assert.deepEqual(parseSecretReference(text), expected, text);
      assert.deepEqual(parseSecretReference(formatSecretReference(expected)), expected, `canonical form of ${text}`);
    }
  });

  it("recognises malformed references and rejects them with the reason", () => {
    const table: [string, RegExp][] = [
      ["orbitra://", /names no secret/],
      ["orbitra:db-password", /must start with orbitra:\/\//],
      ["orbitra:/db-password", /must start with orbitra:\/\//],
      ["orbitra://bad_name", /'bad_name' is not a secret name/],
      ["orbitra://db-password/", /ends with '\/'/],
      ["orbitra://db-password/v1", /'v1' is not a version/],
      ["orbitra://a/b/c", /NAME or NAME\/VERSION/],
      ["orbitra://x?env=dev", /unknown parameter 'env=dev'/],
      ["orbitra://x?environment=a&environment=b", /environment is given twice/],
      ["orbitra://x?environment=", /'' is not an environment name/],
      ["orbitra://x?", /followed by nothing/],
      ["orbitra://x#frag", /fragment/],
      [" orbitra://x", /spaces around it/],
      ["orbitra://x\n", /spaces around it/],
      ["@Microsoft.KeyVault(", /closing '\)'/],
      ["@Microsoft.KeyVault(VaultName=v1;SecretName=x", /closing '\)'/],
      ["@Microsoft.KeyVault", /closing '\)'/],
      ["@Microsoft.KeyVault()", /empty part/],
      ["@Microsoft.KeyVault(VaultName=myvault)", /SecretName is missing/],
      ["@Microsoft.KeyVault(SecretName=x)", /VaultName is missing/],
      ["@Microsoft.KeyVault(VaultName=myvault;SecretName=x;Colour=red)", /unknown key 'Colour'/],
      ["@Microsoft.KeyVault(VaultName=myvault;VaultName=other;SecretName=x)", /VaultName is given twice/],
      ["@Microsoft.KeyVault(VaultName=my_vault;SecretName=x)", /not a vault name/],
      ["@Microsoft.KeyVault(VaultName=myvault;SecretName=)", /SecretName is empty/],
      ["@Microsoft.KeyVault(SecretUri=http://v.vault.azure.net/secrets/x)", /must use https/],
      ["@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/keys/x)", /secrets\/NAME/],
      ["@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/x?api-version=1)", /query/],
      ["@Microsoft.KeyVault(SecretUri=not a url)", /not a URL/],
      ["@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/x;SecretName=y)", /cannot be combined/],
    ];
    for (const [text, reason] of table) {
      assert.ok(isSecretReference(text), `recognised: ${JSON.stringify(text)}`);
      assert.throws(
        () => parseSecretReference(text, "DB_URL"),
        (error: SecretResolutionError) => {
          assert.equal(error.code, "SecretResolution");
          assert.match(error.message, /^Setting DB_URL: malformed secret reference/);
          assert.equal(error.failures.length, 1);
          assert.equal(error.failures[0]!.key, "DB_URL");
          assert.match(error.failures[0]!.reason, reason, text);
          return true;
        },
      );
    }
  });

  it("treats only whole values as references", () => {
    for (const text of ["url=orbitra://x", "see @Microsoft.KeyVault(VaultName=a;SecretName=b)", "orbitrax://y", "@Microsoft.KeyVaults(x)", "", "plain"]) {
      assert.equal(isSecretReference(text), false, text);
      assert.throws(() => parseSecretReference(text), { code: "SecretResolution" });
    }
  });
});
