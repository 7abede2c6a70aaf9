import type {
  CertificateOperation as SdkOperation,
  CertificatePolicy as SdkPolicy,
  CertificateProperties as SdkProperties,
  DeletedCertificate as SdkDeletedCertificate,
  KeyVaultCertificate as SdkCertificate,
  KeyVaultCertificateWithPolicy as SdkCertificateWithPolicy,
} from "@azure/keyvault-certificates";
import { normalisePolicy, type CertificatePolicy, type LifetimeAction } from "../x509/index.js";
import type {
  CertificateOperation,
  CertificateProperties,
  DeletedCertificate,
  DeletedCertificateProperties,
  KeyVaultCertificate,
} from "./certificates-backend.js";
import { objectPropertiesFromSdk } from "./sdk-model.js";

/**
 * Between the official SDK's camelCase certificate model and ours (Key Vault's wire policy JSON,
 * dates as `Date`s). The SDK's policy has no `basic_constraints`: a certificate made through it
 * is never a CA, and a policy read back says `ca: false`.
 */

/** A normalised wire policy as the SDK's CertificatePolicy (the SDK writes the wire JSON from it). */
export function policyToSdk(policy: CertificatePolicy): SdkPolicy {
  const { key_props: key, x509_props: x509, issuer } = policy;
  const sans = x509.sans;
  const sdk: Record<string, unknown> = {
    issuerName: issuer.name,
    keyType: key.kty,
    exportable: key.exportable,
    reuseKey: key.reuse_key,
    contentType: policy.secret_props.contentType,
    enhancedKeyUsage: x509.ekus,
    keyUsage: x509.key_usage,
    validityInMonths: x509.validity_months,
    enabled: policy.attributes.enabled,
    lifetimeActions: policy.lifetime_actions.map(({ trigger, action }) => ({
      action: action.action_type,
      ...("lifetime_percentage" in trigger ? { lifetimePercentage: trigger.lifetime_percentage } : { daysBeforeExpiry: trigger.days_before_expiry }),
    })),
  };
  if (x509.subject !== "") sdk.subject = x509.subject;
  const names: Record<string, string[]> = {};
  if (sans.dns_names) names.dnsNames = sans.dns_names;
  if (sans.emails) names.emails = sans.emails;
  if (sans.upns) names.userPrincipalNames = sans.upns;
  if (sans.uris) names.uniformResourceIdentifiers = sans.uris;
  if (sans.ipAddresses) names.ipAddresses = sans.ipAddresses;
  if (Object.keys(names).length > 0) sdk.subjectAlternativeNames = names;
  if (key.key_size !== undefined) sdk.keySize = key.key_size;
  if (key.crv !== undefined) sdk.keyCurveName = key.crv;
  if (issuer.cty !== undefined) sdk.certificateType = issuer.cty;
  if (issuer.cert_transparency !== undefined) sdk.certificateTransparency = issuer.cert_transparency;
  return sdk as unknown as SdkPolicy;
}

/** The SDK's policy as a normalised wire policy (what the local backend answers for the same certificate). */
export function policyFromSdk(sdk: SdkPolicy): CertificatePolicy {
  const names = sdk.subjectAlternativeNames;
  const lifetime: LifetimeAction[] | undefined = sdk.lifetimeActions?.map((a) => ({
    trigger: a.daysBeforeExpiry !== undefined && a.daysBeforeExpiry !== null ? { days_before_expiry: a.daysBeforeExpiry } : { lifetime_percentage: a.lifetimePercentage! },
    action: { action_type: a.action! },
  }));
  const wire = {
    key_props: { kty: sdk.keyType, key_size: sdk.keySize, crv: sdk.keyCurveName, exportable: sdk.exportable, reuse_key: sdk.reuseKey },
    secret_props: { contentType: sdk.contentType },
    x509_props: {
      subject: sdk.subject,
      sans: names && { dns_names: names.dnsNames, emails: names.emails, upns: names.userPrincipalNames, uris: names.uniformResourceIdentifiers, ipAddresses: names.ipAddresses },
      ekus: sdk.enhancedKeyUsage,
      key_usage: sdk.keyUsage,
      validity_months: sdk.validityInMonths,
    },
    lifetime_actions: lifetime,
    issuer: { name: sdk.issuerName, cty: sdk.certificateType, cert_transparency: sdk.certificateTransparency },
    attributes: { enabled: sdk.enabled, created: seconds(sdk.createdOn), updated: seconds(sdk.updatedOn) },
  };
  return normalisePolicy(JSON.parse(JSON.stringify(wire)));
}

function seconds(date: Date | undefined): number | undefined {
  return date === undefined ? undefined : Math.floor(date.getTime() / 1000);
}

export function propertiesFromSdk(sdk: SdkProperties, withVersion = true): CertificateProperties {
  const properties: CertificateProperties = objectPropertiesFromSdk({ ...sdk, name: sdk.name!, vaultUrl: sdk.vaultUrl! }, "certificates", withVersion);
  if (sdk.x509Thumbprint) properties.x509Thumbprint = new Uint8Array(sdk.x509Thumbprint);
  if (sdk.x509ThumbprintString) properties.x509ThumbprintString = sdk.x509ThumbprintString;
  return properties;
}

export function certificateFromSdk(sdk: SdkCertificate | SdkCertificateWithPolicy): KeyVaultCertificate {
  const certificate: KeyVaultCertificate = {
    properties: propertiesFromSdk(sdk.properties),
    cer: new Uint8Array(sdk.cer ?? []),
    keyId: sdk.keyId!,
    secretId: sdk.secretId!,
  };
  if ("policy" in sdk && sdk.policy) certificate.policy = policyFromSdk(sdk.policy);
  return certificate;
}

export function deletedCertificateFromSdk(sdk: SdkDeletedCertificate): DeletedCertificate {
  const certificate = certificateFromSdk(sdk);
  return { ...certificate, properties: { ...certificate.properties, ...deletion(sdk) } };
}

export function deletedPropertiesFromSdk(sdk: SdkDeletedCertificate): DeletedCertificateProperties {
  return { ...propertiesFromSdk(sdk.properties, false), ...deletion(sdk) };
}

function deletion(sdk: SdkDeletedCertificate) {
  return { recoveryId: sdk.recoveryId!, deletedOn: sdk.deletedOn!, scheduledPurgeDate: sdk.scheduledPurgeDate! };
}

export function operationFromSdk(sdk: SdkOperation): CertificateOperation {
  const op: CertificateOperation = {
    name: sdk.name!,
    issuerName: sdk.issuerName!,
    status: sdk.status!,
    cancellationRequested: sdk.cancellationRequested === true,
  };
  if (sdk.statusDetails) op.statusDetails = sdk.statusDetails;
  if (sdk.csr) op.csr = new Uint8Array(sdk.csr);
  if (sdk.requestId) op.requestId = sdk.requestId;
  if (sdk.error) op.error = { ...(sdk.error.code ? { code: sdk.error.code } : {}), ...(sdk.error.message ? { message: sdk.error.message } : {}) };
  return op;
}
