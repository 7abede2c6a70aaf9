/**
 * Key Vault's certificate policy, in its wire names (fact sheet §10.3). `WirePolicy` is what a
 * client may send (every member optional, values unchecked); `CertificatePolicy` is the same JSON
 * after {@link normalisePolicy}: every member the service fills in is there, checked. Keeping the
 * wire names means the server answers a normalised policy as it is, and stores it as JSON.
 */

export type KeyType = "RSA" | "RSA-HSM" | "EC" | "EC-HSM";
export type CurveName = "P-256" | "P-384" | "P-521" | "P-256K";
export type SecretContentType = "application/x-pkcs12" | "application/x-pem-file";
export type LifetimeActionType = "AutoRenew" | "EmailContacts";

export const KEY_USAGES = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

export interface SubjectAlternativeNames {
  dns_names?: string[];
  emails?: string[];
  upns?: string[];
  uris?: string[];
  ipAddresses?: string[];
}

export interface WirePolicy {
  id?: string;
  key_props?: { exportable?: boolean; kty?: string; key_size?: number; reuse_key?: boolean; crv?: string };
  secret_props?: { contentType?: string };
  x509_props?: {
    subject?: string;
    sans?: SubjectAlternativeNames;
    ekus?: string[];
    key_usage?: string[];
    validity_months?: number;
    basic_constraints?: { ca?: boolean };
  };
  lifetime_actions?: { trigger?: { lifetime_percentage?: number; days_before_expiry?: number }; action?: { action_type?: string } }[];
  issuer?: { name?: string; cty?: string; cert_transparency?: boolean };
  attributes?: { enabled?: boolean; created?: number; updated?: number };
}

export interface KeyProperties {
  exportable: boolean;
  kty: KeyType;
  /** RSA: 2048, 3072 or 4096. EC: the curve's size, only when the client sent one. */
  key_size?: number;
  reuse_key: boolean;
  /** EC only. */
  crv?: CurveName;
}

export interface LifetimeAction {
  trigger: { lifetime_percentage: number } | { days_before_expiry: number };
  action: { action_type: LifetimeActionType };
}

export interface CertificatePolicy {
  id?: string;
  key_props: KeyProperties;
  secret_props: { contentType: SecretContentType };
  x509_props: {
    /** An RFC 4514 distinguished name as the client wrote it; "" only when SANs name the subject. */
    subject: string;
    sans: SubjectAlternativeNames;
    ekus: string[];
    key_usage: KeyUsage[];
    validity_months: number;
    basic_constraints: { ca: boolean };
  };
  lifetime_actions: LifetimeAction[];
  issuer: { name: string; cty?: string; cert_transparency?: boolean };
  attributes: { enabled: boolean; created?: number; updated?: number };
}
