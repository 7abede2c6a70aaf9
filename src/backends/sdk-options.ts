import type { SecretClientOptions } from "@azure/keyvault-secrets";
import { replyDatePolicy } from "./reply-date.js";
import type { KeyVaultBackendOptions } from "./keyvault-backend.js";

/** The pipeline options every kind's SDK client gets, so secrets, keys and certificates reach a vault alike. */
export type SdkPipelineOptions = Pick<SecretClientOptions, "tlsOptions" | "disableChallengeResourceVerification" | "retryOptions" | "additionalPolicies">;

/**
 * The CA to trust, the challenge-resource switch and the retry options of a target, plus the
 * reply-date policy that tells `clock` how far the vault's time is from this machine's.
 */
export function sdkPipelineOptions(options: KeyVaultBackendOptions, clock: { offsetMs: number }): SdkPipelineOptions {
  return {
    ...(options.ca !== undefined ? { tlsOptions: { ca: options.ca } } : {}),
    ...(options.disableChallengeResourceVerification ? { disableChallengeResourceVerification: true } : {}),
    ...(options.retryOptions ? { retryOptions: options.retryOptions } : {}),
    additionalPolicies: [{ policy: replyDatePolicy((offsetMs) => (clock.offsetMs = offsetMs)), position: "perRetry" }],
  };
}
