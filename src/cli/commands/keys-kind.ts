import { getKeysClient } from "../../client/get-keys-client.js";
import type { OrbitraKeysClient } from "../../client/keys-client.js";
import { KIND_WORDS } from "../command-declaration.js";
import type { CliKind } from "../object-command.js";

/** `orbitra keys ...`: what every keys command opens. */
export const KEYS: CliKind<OrbitraKeysClient> = { ...KIND_WORDS.key, open: getKeysClient };
