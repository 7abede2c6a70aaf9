import { createRequire } from "node:module";
import type * as Peculiar from "@peculiar/x509";

export type { Peculiar };

// @peculiar/x509 2 finds its ASN.1 providers through tsyringe, which needs the Reflect metadata
// API installed first (version 1 imported the polyfill itself; 2 leaves it to the application).
// Every use of the library goes through this module so that the order is right wherever it loads.
//
// It loads on first use, not on import: the vault (and so every CLI command) imports the
// certificates repository, and a `secrets get` must not pay for, or need, an X.509 library it
// never calls. The CLI bundle keeps @peculiar/* external, so its `--version` runs without them.
const require = createRequire(import.meta.url);
let loaded: typeof Peculiar | undefined;

function load(): typeof Peculiar {
  if (loaded === undefined) {
    require("reflect-metadata");
    loaded = require("@peculiar/x509") as typeof Peculiar;
  }
  return loaded;
}

/** The library's namespace, resolved member by member on first touch (`x509.X509Certificate`, ...). */
export const x509: typeof Peculiar = new Proxy({} as typeof Peculiar, {
  get: (_target, member) => load()[member as keyof typeof Peculiar],
});
