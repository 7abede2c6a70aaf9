import type { KeyObject } from "node:crypto";
import type { KeyOperation } from "../../crypto/types.js";
import {
  lifetimeActionDates,
  readCertificateProperties,
  secretValue,
  type CertificateMaterial,
  type CertificatePolicy,
} from "../../x509/index.js";

/**
 * Everything a new certificate version writes, worked out before the write lock is taken: the
 * key as a private JWK for `vault.keys`, the linked secret's value, the validity and the renewal
 * date. Building a PFX or a certificate takes milliseconds; the transaction then only inserts.
 */
export interface PreparedVersion {
  material: CertificateMaterial & { privateKey: KeyObject };
  jwk: Record<string, unknown>;
  hsm: boolean;
  keyOps: KeyOperation[];
  exportable: boolean;
  secretValue: string;
  contentType: string;
  /** Unix seconds. */
  notBefore: number;
  expiresOn: number;
  /** When AutoRenew falls due (Self issuer only), Unix seconds. */
  renewAt: number | null;
  /** PKCS#8 PEM, for the version row's sealed copy. */
  privatePem: string;
}

export function prepareVersion(material: CertificateMaterial & { privateKey: KeyObject }, policy: CertificatePolicy): PreparedVersion {
  const props = readCertificateProperties(material.certificate);
  const exportable = policy.key_props.exportable;
  const contentType = policy.secret_props.contentType;
  // The private key goes into the secret only when the policy lets it leave (Key Vault's rule).
  const forSecret: CertificateMaterial = exportable ? material : { certificate: material.certificate, chain: material.chain };
  return {
    material,
    jwk: privateJwkOf(material.privateKey),
    hsm: policy.key_props.kty.endsWith("-HSM"),
    keyOps: keyOpsFor(policy),
    exportable,
    secretValue: secretValue(forSecret, contentType),
    contentType,
    notBefore: seconds(props.notBefore),
    expiresOn: seconds(props.notAfter),
    renewAt: renewalDate(policy, props.notBefore, props.notAfter),
    privatePem: material.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

/** The first AutoRenew of a self-issued certificate; others (a CA outside) cannot renew here. */
export function renewalDate(policy: CertificatePolicy, notBefore: Date, notAfter: Date): number | null {
  if (policy.issuer.name !== "Self") return null;
  const due = lifetimeActionDates(policy, { notBefore, notAfter }).find((a) => a.action_type === "AutoRenew")?.due;
  return due === undefined ? null : seconds(due);
}

/** Key Vault's key_ops for a certificate's key follow the X.509 key usage. */
function keyOpsFor(policy: CertificatePolicy): KeyOperation[] {
  const usage = new Set(policy.x509_props.key_usage);
  const rsa = policy.key_props.kty.startsWith("RSA");
  const ops: KeyOperation[] = [];
  if (usage.has("digitalSignature") || usage.has("nonRepudiation")) ops.push("sign", "verify");
  if (rsa && usage.has("keyEncipherment")) ops.push("wrapKey", "unwrapKey");
  if (rsa && usage.has("dataEncipherment")) ops.push("encrypt", "decrypt");
  return ops;
}

/** node:crypto's JWK, with JOSE's curve name for secp256k1 (Node calls it by its SEC name). */
function privateJwkOf(key: KeyObject): Record<string, unknown> {
  const jwk = key.export({ format: "jwk" }) as Record<string, unknown>;
  if (jwk.crv === "secp256k1") jwk.crv = "P-256K";
  return jwk;
}

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
