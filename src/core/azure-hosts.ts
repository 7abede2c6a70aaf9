/**
 * Azure's public host names that orbitra knows: Key Vault's DNS suffixes (public and sovereign
 * clouds, Managed HSM), Entra's sign-in hosts and ARM's. The settings turn vault names into URLs
 * with the suffixes; `vault serve --proxy` intercepts exactly these hosts and nothing else.
 */
export const AZURE_VAULT_SUFFIXES = [
  "vault.azure.net",
  "vault.azure.cn",
  "vault.usgovcloudapi.net",
  "vault.microsoftazure.de",
  "managedhsm.azure.net",
] as const;

/** The token audiences (resources) of those clouds: `https://vault.azure.net` and its siblings. */
export const KEY_VAULT_RESOURCES: readonly string[] = Object.freeze(AZURE_VAULT_SUFFIXES.map((suffix) => `https://${suffix}`));

/** Entra ID's authority hosts and the aliases MSAL's instance discovery names for them. */
export const AZURE_LOGIN_HOSTS = [
  "login.microsoftonline.com",
  "login.windows.net",
  "login.microsoft.com",
  "sts.windows.net",
  "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn",
  "login.microsoftonline.us",
  "login.microsoftonline.de",
] as const;

/**
 * ARM's token audiences: `az login` asks for a token for the first before it lists subscriptions
 * (through `vault serve --proxy`, the ARM subset there answers it).
 */
export const ARM_RESOURCES: readonly string[] = Object.freeze(["https://management.core.windows.net", "https://management.azure.com"]);

/** Azure Resource Manager, where `az login` asks for subscriptions and tenants. */
export const AZURE_ARM_HOSTS = ["management.azure.com", "management.chinacloudapi.cn", "management.usgovcloudapi.net"] as const;
