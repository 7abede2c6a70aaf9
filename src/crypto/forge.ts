import { createRequire } from "node:module";
import type Forge from "node-forge";

/**
 * node-forge, loaded on first touch and synchronously (PKCS#12 reading and writing are synchronous
 * calls). It is ~40 modules that build their tables as they load, and every command that opens a
 * vault reaches the certificate code that imports it: only the one that really reads or writes a
 * PFX, or signs with PSS, should pay for it. The CLI bundles keep it external
 * (scripts/bundle-cli.mjs), so there is one copy whichever caller loads it first.
 */
const require = createRequire(import.meta.url);
let loaded: typeof Forge | undefined;
const load = (): typeof Forge => (loaded ??= require("node-forge") as typeof Forge);

/** The library's namespace, resolved member by member on first use (`forge.asn1`, `forge.pki`, ...). */
export const forge: typeof Forge = new Proxy({} as typeof Forge, {
  get: (_target, member) => load()[member as keyof typeof Forge],
});
