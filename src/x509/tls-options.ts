import { badParameter } from "./errors.js";
import { looksLikePem, pemBlocks, toPem } from "./pem.js";
import { readCertificateContent } from "./import.js";

/** What `https.createServer` / `tls.createServer` take, and what a client should trust. */
export interface TlsOptions {
  key: string;
  /** The leaf, then its issuers: a server sends the whole chain. */
  cert: string;
  /** What a client of this server should trust: the top of the chain given (its root), or the leaf itself when self-signed. */
  ca: string[];
}

/**
 * A certificate's PEM (the linked secret's `application/x-pem-file` value or a download) or its
 * PFX (base64) -> options for Node's TLS servers. Refuses a certificate without its private key,
 * with which no server can start.
 */
export function tlsOptionsFrom(content: string | Uint8Array, password?: string): TlsOptions {
  if (typeof content === "string" && looksLikePem(content) && pemBlocks(content).every((b) => !b.label.endsWith("PRIVATE KEY"))) {
    throw badParameter("The certificate has no private key (its policy is not exportable), so no TLS server can use it.");
  }
  const { material } = readCertificateContent(content, password === undefined ? {} : { password });
  const chain = material.chain.map((der) => toPem("CERTIFICATE", der));
  const top = material.chain.at(-1) ?? material.certificate;
  return {
    key: material.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    cert: toPem("CERTIFICATE", material.certificate) + chain.join(""),
    ca: [toPem("CERTIFICATE", top)],
  };
}
