// The app under test: it reads its database password from Key Vault with the official SDK, and
// refuses a password past its expiry (Key Vault still serves it, so the app has to look).
import { SecretClient } from "@azure/keyvault-secrets";

/** `vaultUrl`, `credential` and `clientOptions` are what production passes (or the test kit hands out). */
export async function databaseUrl({ vaultUrl, credential, clientOptions = {}, now = () => new Date() }) {
  const client = new SecretClient(vaultUrl, credential, clientOptions);
  const secret = await client.getSecret("db-password");
  if (secret.properties.expiresOn && secret.properties.expiresOn <= now()) {
    throw new Error("The database password has expired: rotate db-password.");
  }
  return `postgres://app:${encodeURIComponent(secret.value)}@db.internal/app`;
}
