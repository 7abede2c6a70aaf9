import { serverStateFile } from "./server-state.js";

/** What `vault serve --proxy` leaves in its data folder for `vault env` and `vault exec`. */
export interface ProxyState {
  pid: number;
  proxy: string;
  vaults: { name: string; url: string; azureUrl?: string }[];
  env: Record<string, string>;
}

// 0600: in open mode the environment holds a client secret (one any client could have, but still).
const proxy = serverStateFile<ProxyState>("proxy-env.json", (s) => typeof s.env === "object" && s.env !== null, "'orbitra vault serve --proxy'");

export const writeProxyState = proxy.write;
/** The environment of the `vault serve --proxy` running on `dataDir`. */
export const readProxyState = proxy.read;
