import type { AccessToken, TokenCredential } from "@azure/core-auth";

/**
 * The credential for a local `orbitra vault serve` in open mode, which accepts any bearer token
 * on loopback. It keeps the SDK's challenge flow exercised end to end without a real identity.
 */
export function openModeCredential(): TokenCredential {
  return {
    async getToken(): Promise<AccessToken> {
      return { token: "orbitra-open-mode", expiresOnTimestamp: Date.now() + 60 * 60 * 1000 };
    },
  };
}
