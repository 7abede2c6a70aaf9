import { KEY_VAULT_RESOURCES } from "../core/azure-hosts.js";
import { errorBody, shorten } from "./errors.js";
import type { VaultHandler, VaultRequest, VaultResponse } from "./handler.js";
import { RequestMemo } from "./request-memo.js";
import { hostnameOf } from "./vault-host.js";

/**
 * The names this server answers to: its certificate's SANs (`localhost`, `NAME.localhost`, the
 * machine's name, `--san` extras, wildcards such as `*.localhost` for one label) and its ports.
 * Two decisions rest on them, and neither may rest on what a client puts in its Host header:
 * which token audiences are ours, and which Host headers are served at all.
 */
export class ServerNames {
  private readonly exact = new Set<string>();
  /** `*.localhost` is kept as `.localhost`: one label in front, as TLS matches wildcards. */
  private readonly wildcards: string[] = [];
  private readonly ports = new Set<string>();

  /** `extraAudiences`: resources beyond Key Vault's that the token endpoint may issue for (ARM's, behind the proxy). */
  constructor(
    sans: readonly string[],
    private readonly extraAudiences: readonly string[] = [],
  ) {
    for (const san of sans) {
      const name = san.toLowerCase();
      if (name.startsWith("*.")) this.wildcards.push(name.slice(1));
      else this.exact.add(name.includes(":") && !name.startsWith("[") ? `[${name}]` : name);
    }
  }

  /** A listener's port, once it is bound (port 0 picks one). */
  addPort(port: number): void {
    this.ports.add(String(port));
  }

  /** True for one of the server's names, without the port: lowercase, IPv6 in brackets, a trailing dot allowed. */
  isOwnHost(hostname: string): boolean {
    const name = hostname.toLowerCase().replace(/\.$/, "");
    if (this.exact.has(name)) return true;
    return this.wildcards.some((suffix) => name.endsWith(suffix) && !name.slice(0, -suffix.length).includes(".") && name.length > suffix.length);
  }

  /**
   * A token audience this server accepts and issues: Key Vault's resource (any cloud's: clients
   * ask for the one the 401 challenge names), or `https://NAME[:PORT]` for one of its own names
   * and ports. Compared exactly after URL normalisation, so `https://vault.azure.net.evil.example`
   * or `https://attacker.example` are refused whatever Host header comes with them.
   */
  acceptsAudience(audience: string): boolean {
    const trimmed = audience.replace(/\/+$/, "");
    if (KEY_VAULT_RESOURCES.includes(trimmed.toLowerCase()) || this.extraAudiences.includes(trimmed.toLowerCase())) return true;
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      return false;
    }
    if (url.protocol !== "https:" || url.username || url.password || url.search || url.hash || url.pathname !== "/") return false;
    if (trimmed.toLowerCase() !== url.origin.toLowerCase() && trimmed.toLowerCase() !== `${url.protocol}//${url.host}`.toLowerCase()) return false;
    return this.isOwnHost(url.hostname) && (url.port === "" || this.ports.has(url.port));
  }
}

/**
 * Serves only requests addressed to one of the server's names. Another Host (a DNS-rebinding page
 * in a browser, a token minted for a name the client chose, a typo'd --san) gets Key Vault's 400
 * envelope, as a front end does for a host it does not serve; no id is ever built on such a name.
 * A request without Host (HTTP/1.0) is the listener's own and passes.
 */
export function guardHost(names: ServerNames, next: VaultHandler): VaultHandler {
  // The Host headers already let through: a client sends the same one on every request.
  const served = new RequestMemo<true>(64);
  return (request: VaultRequest): VaultResponse | Promise<VaultResponse> => {
    const host = request.header("host");
    if (host === undefined || host === "" || served.get(host)) return next(request);
    if (names.isOwnHost(hostnameOf(host))) {
      served.set(host, true);
      return next(request);
    }
    return {
      status: 400,
      headers: { "content-type": "application/json; charset=utf-8" },
      body: errorBody(
        "BadParameter",
        `The Host header '${shorten(host, 80)}' is not a name of this server. Address it by one of its certificate's names, or add this one with --san.`,
      ),
    };
  };
}
