import type { LocalVault } from "../store/local-vault.js";
import { badParameter, KeyVaultHttpError, shorten } from "./errors.js";

/** A vault as the server serves it: its name and its store. */
export interface HostedVault {
  name: string;
  store: LocalVault;
}

const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
const VAULT_SUBDOMAIN = /^([a-z0-9-]+)\.localhost\.?$/;

export interface RequestHost {
  /** `https://host[:port]` exactly as the client addressed us: ids and nextLinks are built on it. */
  origin: string;
  /** Lowercase host name without the port. */
  hostname: string;
}

/**
 * The origin of a request from its Host header (port included), because the SDK re-derives the
 * vault URL from the ids we return and calls that (docs/keyvault-wire.md §2). Without a Host header
 * (HTTP/1.0, in-process tests) the listener's own address stands in.
 */
export function requestHost(scheme: string, host: string | undefined, fallbackOrigin: string): RequestHost {
  if (host === undefined || host === "") {
    const url = new URL(fallbackOrigin);
    return { origin: url.origin, hostname: url.hostname.toLowerCase() };
  }
  if (!HOST.test(host)) throw badParameter(`The Host header '${shorten(host, 80)}' is not a valid host name.`);
  return { origin: `${scheme}://${host}`, hostname: hostnameOf(host) };
}

/** A Host header's name without its port, lowercase; IPv6 keeps its brackets. */
export function hostnameOf(host: string): string {
  return (host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d*$/, "")).toLowerCase();
}

/**
 * Which vault a request is for. `NAME.localhost[:port]` names a vault of this server on any of its
 * ports (the Lowkey Vault convention; one host per vault keeps ids unique); any other host name gets
 * the listener's own vault. An unknown NAME is refused rather than served from another vault, so a
 * typo cannot write into the wrong one.
 */
export function selectVault(hostname: string, own: HostedVault, byName?: ReadonlyMap<string, HostedVault>): HostedVault {
  const match = VAULT_SUBDOMAIN.exec(hostname);
  if (!match) return own;
  const name = match[1]!;
  if (name === own.name.toLowerCase()) return own;
  const named = byName?.get(name);
  if (named) return named;
  const known = byName ? [...byName.keys()] : [own.name];
  throw new KeyVaultHttpError(404, "VaultNotFound", `No vault named '${shorten(name, 63)}' is served here. Vaults: ${known.join(", ")}.`);
}
