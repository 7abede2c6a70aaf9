import type { OrbitraCertificatesClient } from "../../client/certificates-client.js";
import { KIND_WORDS } from "../command-declaration.js";
import type { CliKind } from "../object-command.js";

/** `orbitra certs ...`: what every certificates command opens (its client loads on the first open, see secrets-kind.ts). */
export const CERTS: CliKind<OrbitraCertificatesClient> = {
  ...KIND_WORDS.certificate,
  open: async (request) => (await import("../../client/get-certificates-client.js")).getCertificatesClient(request),
};
