import { createRequire } from "node:module";

/**
 * Parsers are loaded only when a settings file actually exists, and synchronously, so that
 * `getSecretsClient()` stays synchronous and a command that needs no file pays nothing for them.
 */
export const lazyRequire = createRequire(import.meta.url);
