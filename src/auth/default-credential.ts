import type { TokenCredential } from "@azure/core-auth";
import type { VaultTarget } from "../settings/vault-target.js";
import { openModeCredential } from "./open-mode-credential.js";

/**
 * The credential used when the caller passes none. Azure: `DefaultAzureCredential` (loaded only
 * here, it is heavy), with the environment's tenant and client when settings give them.
 */
export async function defaultCredential(target: Exclude<VaultTarget, { kind: "local" }>): Promise<TokenCredential> {
  if (target.kind === "server") return openModeCredential();
  const { DefaultAzureCredential } = await import("@azure/identity");
  return new DefaultAzureCredential({
    ...(target.tenantId ? { tenantId: target.tenantId } : {}),
    ...(target.clientId ? { managedIdentityClientId: target.clientId } : {}),
  });
}
