import { newClientSecret } from "../identity/client-secret.js";
import { randomUUID } from "node:crypto";
import { SERVER_TENANT } from "../identity/token-service.js";

export interface ProxyEnvOptions {
  /** `http://127.0.0.1:PORT`. */
  proxyUrl: string;
  caFile: string;
  /** Open mode: add a throwaway service principal for DefaultAzureCredential's EnvironmentCredential. */
  openMode: boolean;
}

/**
 * The variables a child process needs to reach this server as Azure: every Azure SDK and the
 * Azure CLI honour HTTPS_PROXY; Node, Python's requests and OpenSSL-based clients take the CA from
 * the three CA variables. HTTP_PROXY too, so that a plain-HTTP call (IMDS, telemetry) meets the
 * proxy's 403 instead of the network. NO_PROXY names loopback only: a NO_PROXY inherited from the
 * parent that lists `.azure.net` or `.microsoftonline.com` would otherwise bypass the proxy.
 */
export function proxyEnv(options: ProxyEnvOptions): Record<string, string> {
  const env: Record<string, string> = {
    HTTPS_PROXY: options.proxyUrl,
    HTTP_PROXY: options.proxyUrl,
    NO_PROXY: "localhost,127.0.0.1,::1",
    NODE_EXTRA_CA_CERTS: options.caFile,
    REQUESTS_CA_BUNDLE: options.caFile,
    SSL_CERT_FILE: options.caFile,
  };
  if (options.openMode) {
    // Open mode gives any client id a token, so this one needs no registration; a fresh one per start.
    env.AZURE_TENANT_ID = SERVER_TENANT;
    env.AZURE_CLIENT_ID = randomUUID();
    env.AZURE_CLIENT_SECRET = newClientSecret(24);
  }
  return env;
}

/** Lowercase spellings that Python and curl read before the uppercase ones: a child must not inherit the parent's. */
export const SHADOWING_PROXY_VARIABLES = ["https_proxy", "http_proxy", "no_proxy", "all_proxy", "ALL_PROXY"] as const;

