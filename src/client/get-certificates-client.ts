import type { TokenCredential } from "@azure/core-auth";
import { openTarget } from "../backends/open-backend.js";
import { OrbitraCertificatesClient } from "./certificates-client.js";
import { clientOptionsOf, openOptionsOf, targetOf, type ClientTargetOptions } from "./target-of.js";

/** Where the certificates client's vault is: the same options, settings and credentials as getSecretsClient. */
export type GetCertificatesClientOptions = ClientTargetOptions;

/**
 * Builds the certificates client for the vault of an environment, resolved exactly as
 * {@link getSecretsClient} resolves it, on the same credential chain.
 *
 * ```ts
 * const certs = getCertificatesClient({ environment: "local" });
 * await certs.createCertificate("dev-tls", { x509_props: { subject: "CN=localhost", sans: { dns_names: ["localhost"] } } });
 * https.createServer(await certs.createTlsOptions("dev-tls"), handler).listen(8443);
 * ```
 *
 * `local` runs in this process on the embedded store; a Key Vault target goes through the
 * official `@azure/keyvault-certificates` client (and `@azure/keyvault-secrets` for downloads).
 * Synchronous: nothing is opened until the first call.
 */
export function getCertificatesClient(options?: GetCertificatesClientOptions): OrbitraCertificatesClient;
export function getCertificatesClient(keyVault?: string, environment?: string, credential?: TokenCredential): OrbitraCertificatesClient;
export function getCertificatesClient(first?: string | GetCertificatesClientOptions, environment?: string, credential?: TokenCredential): OrbitraCertificatesClient {
  const options = clientOptionsOf<GetCertificatesClientOptions>(first, environment, credential);
  const target = targetOf(options);
  return new OrbitraCertificatesClient(target, () => openTarget(target, openOptionsOf(options)));
}
