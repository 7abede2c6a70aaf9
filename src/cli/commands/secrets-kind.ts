import type { OrbitraSecretsClient } from "../../client/secrets-client.js";
import { KIND_WORDS } from "../command-declaration.js";
import type { CliKind } from "../object-command.js";

/**
 * `orbitra secrets ...`: what every secrets command opens. On the fast path: no commander. The
 * client, backends and store load on the first open, not with the command tree: `--help` and
 * every command that fails on a flag need none of them (the keys and certificates kinds likewise).
 */
export const SECRETS: CliKind<OrbitraSecretsClient> = {
  ...KIND_WORDS.secret,
  open: async (request) => (await import("../../client/get-secrets-client.js")).getSecretsClient(request),
};
