/** Key Vault DNS suffixes of the public and sovereign clouds, plus Managed HSM. */
export const KEY_VAULT_SUFFIXES: readonly string[] = Object.freeze([
  "vault.azure.net",
  "vault.azure.cn",
  "vault.usgovcloudapi.net",
  "vault.microsoftazure.de",
  "managedhsm.azure.net",
]);

/** The token audiences (resources) of those clouds: `https://vault.azure.net` and its siblings. */
export const KEY_VAULT_RESOURCES: readonly string[] = Object.freeze(KEY_VAULT_SUFFIXES.map((suffix) => `https://${suffix}`));
