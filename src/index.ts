/**
 * orbitra: secrets on Azure Key Vault, or on the embedded local vault, behind one typed client.
 *
 * @packageDocumentation
 */

export { getSecretsClient } from "./client/get-secrets-client.js";
export type { GetSecretsClientOptions } from "./client/get-secrets-client.js";
export { OrbitraSecretsClient } from "./client/secrets-client.js";
export type { VersionOption } from "./client/secrets-client.js";

export { SecretStr, isSecretStr } from "./core/secret-str.js";
export {
  OrbitraError,
  SecretNotFoundError,
  PermissionDeniedError,
  ConfigurationError,
  InvalidNameError,
  InvalidValueError,
  ConflictError,
  ThrottledError,
  UnavailableError,
  AuthenticationError,
  SecretResolutionError,
  isOrbitraError,
  isSecretNotFoundError,
  isPermissionDeniedError,
  isConfigurationError,
  isConflictError,
} from "./core/errors.js";
export type { ErrorCode, ErrorContext } from "./core/errors.js";
export { LIMITS, isValidName } from "./core/rules.js";
export type {
  SecretProperties,
  DeletedSecretProperties,
  SecretBundle,
  SetSecretOptions,
  SecretPropertiesUpdate,
  RecoveryLevel,
} from "./core/types.js";

export { getAvailableEnvironments, resolveVaultTarget, describeTarget } from "./settings/index.js";
export type { VaultTarget, OrbitraSettings, EnvironmentSettings } from "./settings/index.js";

export type { SecretsBackend } from "./backends/backend.js";
