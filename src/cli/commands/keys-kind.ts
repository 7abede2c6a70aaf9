import type { OrbitraKeysClient } from "../../client/keys-client.js";
import { KIND_WORDS } from "../command-declaration.js";
import type { CliKind } from "../object-command.js";

/** `orbitra keys ...`: what every keys command opens (its client loads on the first open, see secrets-kind.ts). */
export const KEYS: CliKind<OrbitraKeysClient> = {
  ...KIND_WORDS.key,
  open: async (request) => (await import("../../client/get-keys-client.js")).getKeysClient(request),
};
