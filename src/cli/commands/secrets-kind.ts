import { getSecretsClient } from "../../client/get-secrets-client.js";
import type { OrbitraSecretsClient } from "../../client/secrets-client.js";
import { KIND_WORDS } from "../command-declaration.js";
import type { CliKind } from "../object-command.js";

/** `orbitra secrets ...`: what every secrets command opens. On the fast path: no commander. */
export const SECRETS: CliKind<OrbitraSecretsClient> = { ...KIND_WORDS.secret, open: getSecretsClient };
