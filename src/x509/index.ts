// The x509 floor's surface, for store/ and the library: pure functions over bytes and KeyObjects.
export { createCsr, createSelfSignedCertificate, validityOf, type SelfSignedOptions } from "./build.js";
export { pemBundle, pemParts, secretValue, thumbprint, type PemParts } from "./export.js";
export { looksLikePem, pemBlocks, toPem } from "./pem.js";
export { readCertificateContent, type ImportedCertificate, type ImportOptions } from "./import.js";
export { generateCertificateKey, samePublicKey, type KeyPair } from "./keys.js";
export { lifetimeActionDates, type ScheduledAction } from "./lifetime.js";
export type { CertificateMaterial } from "./material.js";
export { mergeCertificate } from "./merge.js";
export { readPfx, writePfx, type PfxContents } from "./pfx.js";
export { normalisePolicy, updatePolicy } from "./policy.js";
export { KEY_USAGES } from "./policy-types.js";
export type * from "./policy-types.js";
export { policyFromCertificate, readCertificateProperties, type CertificateProperties } from "./properties.js";
export { tlsOptionsFrom, type TlsOptions } from "./tls-options.js";
