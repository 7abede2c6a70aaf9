import { randomUUID } from "node:crypto";
import { logReply } from "../access-log.js";
import { armRoute } from "../arm/arm-routes.js";
import { KeyVaultHttpError, shorten } from "../errors.js";
import type { VaultHandler, VaultRequest, VaultResponse } from "../handler.js";
import { requestHost } from "../vault-host.js";
import { classifyHost } from "./intercepted-hosts.js";

export interface TunnelHandlerOptions {
  /** Each served vault's handler by lowercase name, with ids on `https://NAME.vault.azure.net`. */
  vaults: ReadonlyMap<string, VaultHandler>;
  /** The identity endpoints: undefined for a path that is not theirs. */
  identity: (request: VaultRequest) => VaultResponse | Promise<VaultResponse> | undefined;
  vaultSuffixes: readonly string[];
  accessLog?: (line: string) => void;
}

/**
 * What answers inside a proxy tunnel: the Host header picks a vault (its own handler logs the
 * request), Entra's endpoints or ARM's; these two are logged here as `login` and `arm`. A Host that
 * is none of those gets 421 Misdirected Request: it is not one of this server's names.
 */
export function createTunnelHandler(options: TunnelHandlerOptions): VaultHandler {
  return (request) => {
    const started = performance.now();
    let host;
    try {
      host = requestHost("https", request.header("host"), "https://invalid");
    } catch (error) {
      return errorResponse(error as KeyVaultHttpError);
    }
    const kind = classifyHost(host.hostname, options.vaultSuffixes);
    if (kind?.kind === "vault") {
      const vault = options.vaults.get(kind.name);
      if (vault) return vault(request);
      const names = [...options.vaults.keys()].join(", ");
      return errorResponse(new KeyVaultHttpError(404, "VaultNotFound", `No vault named '${shorten(kind.name, 63)}' is served here. Vaults: ${names}.`));
    }
    if (kind?.kind === "arm") return logReply(options.accessLog, "arm", request, started, armRoute(request));
    if (kind?.kind === "login") return logReply(options.accessLog, "login", request, started, options.identity(request) ?? oauthNotFound());
    return errorResponse(
      new KeyVaultHttpError(421, "MisdirectedRequest", `The Host '${shorten(host.hostname, 80)}' is not one of this server's names; the proxy tunnels Key Vault, Entra and ARM hosts only.`),
    );
  };
}

function errorResponse(error: KeyVaultHttpError): VaultResponse {
  return { status: error.status, headers: { "content-type": "application/json; charset=utf-8", "x-ms-request-id": randomUUID(), ...error.headers }, body: error.body() };
}

function oauthNotFound(): VaultResponse {
  return {
    status: 404,
    headers: { "content-type": "application/json; charset=utf-8", "x-ms-request-id": randomUUID() },
    body: JSON.stringify({
      error: "invalid_request",
      error_description: "AADSTS90002: orbitra vault serve answers Entra's discovery, OpenID configuration, JWKS, token, device-code and managed-identity endpoints only.",
      error_codes: [90002],
    }),
  };
}
