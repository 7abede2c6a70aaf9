import type { TokenCredential } from "@azure/core-auth";
import { AuthenticationError, ConfigurationError } from "../core/errors.js";
import { browserAvailable, halfServicePrincipal, hasAzureCli, isInteractive, noCredentialMessage, selectCredentialSource, type CredentialSourceKind } from "./credential-source.js";
import { azureCliTokenFile, readSavedLogin } from "./login-files.js";
import { openModeCredential } from "./open-mode-credential.js";
import { cachingCredential, fileTokenStore } from "./token-cache-credential.js";
import { LOCAL_SERVER_TENANT, loginApplies, readCaFile, savedLoginCredential, signInOnFirstUse, type DeviceCodePrompt, type RemoteTarget } from "./user-login.js";

export type { RemoteTarget };

export interface CredentialChainOptions {
  /** Whether someone can answer a sign-in prompt now (default: stdin and stderr are terminals, not CI). */
  interactive?: boolean;
  /** Where a sign-in started by the chain shows its device code (default: stderr). */
  onDeviceCode?: (prompt: DeviceCodePrompt) => void;
}

export interface ChosenCredential {
  source: CredentialSourceKind;
  credential: TokenCredential;
  /** The tenant asked for, when the link uses one. */
  tenantId?: string;
  /** The client id of an app or managed identity, when known; never a secret. */
  clientId?: string;
  /** The signed-in user of a saved login. */
  username?: string;
}

/**
 * The credential chain of issue #4 for one target: the first link that applies (see
 * credential-source.ts) builds its @azure/identity credential. @azure/identity is imported only
 * here and only when a link needs it: it is heavy for a CLI start.
 */
export async function credentialFor(target: RemoteTarget, env: NodeJS.ProcessEnv = process.env, chain: CredentialChainOptions = {}): Promise<ChosenCredential> {
  const half = halfServicePrincipal(env);
  if (half) throw new ConfigurationError(half, { vault: target.vaultUrl });
  const saved = readSavedLogin(env, target.environment);
  const source = selectCredentialSource({
    targetKind: target.kind,
    env,
    azureCliInstalled: target.kind === "azure" && hasAzureCli(env),
    savedLogin: loginApplies(saved, target),
    interactive: chain.interactive ?? isInteractive(env),
    browser: browserAvailable(env),
  });
  switch (source) {
    case "open-mode":
      return { source, credential: openModeCredential() };
    case "app-secret": {
      const clientId = env.ORBITRA_APP_CLIENT_ID!;
      const identity = await import("@azure/identity");
      if (target.kind === "server") {
        // The local server is the identity provider: its token endpoint is on the vault's own origin.
        const tenantId = env.ORBITRA_APP_TENANT_ID || target.tenantId || LOCAL_SERVER_TENANT;
        const credential = new identity.ClientSecretCredential(tenantId, clientId, env.ORBITRA_APP_CLIENT_SECRET!, {
          authorityHost: new URL(target.vaultUrl).origin,
          disableInstanceDiscovery: true,
          additionallyAllowedTenants: ["*"],
          ...(target.caFile ? { tlsOptions: { ca: readCaFile(target.caFile) } } : {}),
        } as ConstructorParameters<typeof identity.ClientSecretCredential>[3]);
        return { source, credential, tenantId, clientId };
      }
      const tenantId = env.ORBITRA_APP_TENANT_ID || target.tenantId;
      if (!tenantId) {
        throw new ConfigurationError(
          `ORBITRA_APP_CLIENT_ID is set but no tenant is known for environment '${target.environment}': set ORBITRA_APP_TENANT_ID or tenant_id in the environment's settings.`,
        );
      }
      return { source, credential: new identity.ClientSecretCredential(tenantId, clientId, env.ORBITRA_APP_CLIENT_SECRET!), tenantId, clientId };
    }
    case "managed-identity": {
      const identity = await import("@azure/identity");
      const clientId = env.ORBITRA_MANAGED_IDENTITY_CLIENT_ID || target.clientId;
      const credential = clientId ? new identity.ManagedIdentityCredential({ clientId }) : new identity.ManagedIdentityCredential();
      return { source, credential: cachingCredential(credential), ...(clientId ? { clientId } : {}) };
    }
    case "environment": {
      const identity = await import("@azure/identity");
      return { source, credential: new identity.EnvironmentCredential(), tenantId: env.AZURE_TENANT_ID!, clientId: env.AZURE_CLIENT_ID! };
    }
    case "user-login": {
      const credential = await savedLoginCredential(saved!, target, env);
      return { source, credential, tenantId: saved!.tenantId, clientId: saved!.clientId, username: saved!.username };
    }
    case "device-code":
    case "interactive-browser": {
      const onDeviceCode = chain.onDeviceCode ?? ((prompt: DeviceCodePrompt) => process.stderr.write(`${prompt.message}\n`));
      return { source, credential: signInOnFirstUse({ target, flow: source, env, onDeviceCode }) };
    }
    case "azure-cli": {
      const identity = await import("@azure/identity");
      const tenantId = target.tenantId;
      const credential = new identity.AzureCliCredential(tenantId ? { tenantId, additionallyAllowedTenants: ["*"] } : { additionallyAllowedTenants: ["*"] });
      // Without the cache every client of a run, and every run, would spawn `az` again.
      return { source, credential: cachingCredential(credential, Date.now, fileTokenStore(azureCliTokenFile(env))), ...(tenantId ? { tenantId } : {}) };
    }
    case "none":
      throw new AuthenticationError(noCredentialMessage(target.environment), { vault: target.vaultUrl });
  }
}
