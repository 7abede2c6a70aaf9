import type { SecretClientOptions } from "@azure/keyvault-secrets";

/** core-rest-pipeline's PipelinePolicy, named through the SDK we depend on (not a package of its own here). */
type PipelinePolicy = NonNullable<SecretClientOptions["additionalPolicies"]>[number]["policy"];

/** A Date header has one-second resolution, and a reply takes time to arrive: below this, no skew is seen. */
const RESOLUTION_MS = 2000;

/**
 * An SDK pipeline policy that reads each reply's `Date` header (Key Vault's time, or a local
 * server's possibly moved clock) and reports how far it is from this machine's clock: 0 while the
 * two agree within the header's resolution.
 */
export function replyDatePolicy(report: (offsetMs: number) => void): PipelinePolicy {
  return {
    name: "orbitraReplyDate",
    async sendRequest(request, next) {
      const response = await next(request);
      const said = Date.parse(response.headers.get("date") ?? "");
      if (!Number.isNaN(said)) {
        const offset = said - Date.now();
        report(Math.abs(offset) < RESOLUTION_MS ? 0 : offset);
      }
      return response;
    },
  };
}
