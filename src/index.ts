/**
 * orbitra: secrets, keys and certificates on Azure Key Vault, or on the embedded local vault, behind typed clients.
 *
 * @packageDocumentation
 */

export { getSecretsClient } from "./client/get-secrets-client.js";
export type { GetSecretsClientOptions } from "./client/get-secrets-client.js";
export { OrbitraSecretsClient } from "./client/secrets-client.js";
export type { VersionOption, OrbitraSecretsClientOptions } from "./client/secrets-client.js";

// Keys and cryptography: Key Vault's key operations, plus signData / verifyData and envelope
// encryption for data of any size (docs/envelope-format.md).
export { getKeysClient } from "./client/get-keys-client.js";
export type { GetKeysClientOptions } from "./client/get-keys-client.js";
export { OrbitraKeysClient } from "./client/keys-client.js";
export type {
  KeyVersionOption,
  CreateRsaKeyOptions,
  CreateEcKeyOptions,
  CreateOctKeyOptions,
  EncryptOptions,
  DecryptOptions,
} from "./client/keys-options.js";
export type { EnvelopeOptions } from "./client/key-data.js";
export type {
  KeyVaultKey,
  KeyProperties,
  DeletedKey,
  KeyAttributesInput,
  CreateKeyOptions,
  ImportKeyOptions,
  KeyPropertiesUpdate,
  KeyRotationPolicy,
  KeyRotationLifetimeAction,
} from "./core/key-types.js";
export type { KeysBackend, DeletedKeyProperties, KeyCryptoRequest, KeyCryptoResult } from "./backends/keys-backend.js";
export type {
  JsonWebKey,
  KeyType,
  CurveName,
  KeyOperation,
  EncryptionAlgorithm,
  SignatureAlgorithm,
} from "./crypto/types.js";
export type { DataInput } from "./crypto/data-input.js";

// Certificates: Key Vault's certificate operations (policies in Key Vault's REST JSON), plus
// downloads as PEM / PFX / DER and createTlsOptions for https.createServer.
export { getCertificatesClient } from "./client/get-certificates-client.js";
export type { GetCertificatesClientOptions } from "./client/get-certificates-client.js";
export { OrbitraCertificatesClient } from "./client/certificates-client.js";
export type { CreatedCertificate } from "./client/certificates-client.js";
export type { CertificatePemFiles } from "./client/certificates-download.js";
export type {
  CertificatesBackend,
  CertificateProperties,
  KeyVaultCertificate,
  DeletedCertificate,
  DeletedCertificateProperties,
  CertificateOperation,
  CertificateWriteOptions,
  ImportCertificateOptions,
  CertificateContact,
  CertificateIssuer,
  IssuerInput,
  CertificatePolicy,
  WirePolicy,
} from "./backends/certificates-backend.js";
export type { TlsOptions } from "./x509/index.js";

// Bulk reads and writes, paced under Key Vault's limits; the opt-in cache.
export { getSecrets, writeSecrets } from "./client/bulk.js";
export type { BulkOptions, GetSecretsOptions } from "./client/bulk.js";
export { BulkOperationError, isBulkOperationError } from "./client/bulk-error.js";
export type { BulkFailure } from "./client/bulk-error.js";
export { RateLimiter, KEY_VAULT_RATE_LIMIT, WindowRateLimiter, KEY_VAULT_WINDOW, type RequestLimiter } from "./client/rate-limiter.js";
export type { RateLimiterOptions } from "./client/rate-limiter.js";
export { SecretCache } from "./client/cache.js";
export type { SecretCacheOptions, CacheStats } from "./client/cache.js";

// Secret references: orbitra://NAME[/VERSION][?environment=E] and @Microsoft.KeyVault(...).
export { isSecretReference, parseSecretReference, formatSecretReference } from "./settings/references.js";
export type { SecretReference, OrbitraReference, KeyVaultReference } from "./settings/references.js";
export {
  SecretReferenceResolver,
  resolveSecretReferences,
  resolveSecretReferencesToSecrets,
} from "./client/reference-resolver.js";
export type { ResolveReferencesOptions, ReferenceTarget } from "./client/reference-resolver.js";

// Import/export formats and the secret-name <-> variable-name mapping.
export * from "./formats/index.js";

export { SecretStr, isSecretStr } from "./core/secret-str.js";
export {
  OrbitraError,
  NotFoundError,
  SecretNotFoundError,
  PermissionDeniedError,
  ConfigurationError,
  InvalidNameError,
  InvalidValueError,
  ConflictError,
  ThrottledError,
  UnavailableError,
  AuthenticationError,
  InternalError,
  SecretResolutionError,
  isOrbitraError,
  isNotFoundError,
  isSecretNotFoundError,
  isPermissionDeniedError,
  isConfigurationError,
  isInvalidNameError,
  isInvalidValueError,
  isConflictError,
  isThrottledError,
  isUnavailableError,
  isAuthenticationError,
  isInternalError,
  isSecretResolutionError,
} from "./core/errors.js";
export type { ErrorCode, ErrorContext, ObjectKind } from "./core/errors.js";
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

// The credential chain, for other Azure SDK clients too.
export { getCredential } from "./auth/get-credential.js";
export type { GetCredentialOptions } from "./auth/get-credential.js";
export type { ChosenCredential, CredentialChainOptions } from "./auth/credential-for.js";
export type { CredentialSourceKind } from "./auth/credential-source.js";
export type { DeviceCodePrompt } from "./auth/user-login.js";

export type { SecretsBackend } from "./backends/backend.js";
