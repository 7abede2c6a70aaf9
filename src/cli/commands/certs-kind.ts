import type { OrbitraCertificatesClient } from "../../client/certificates-client.js";
import { getCertificatesClient } from "../../client/get-certificates-client.js";
import { KIND_WORDS } from "../command-declaration.js";
import type { CliKind } from "../object-command.js";

/** `orbitra certs ...`: what every certificates command opens. */
export const CERTS: CliKind<OrbitraCertificatesClient> = { ...KIND_WORDS.certificate, open: getCertificatesClient };
