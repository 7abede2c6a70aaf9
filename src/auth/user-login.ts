import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { readFileSync } from "node:fs";
import { AuthenticationError, ConfigurationError, isOrbitraError } from "../core/errors.js";
import type { VaultTarget } from "../settings/vault-target.js";
import { fileTokenCachePlugin } from "./file-token-cache.js";
import { saveLogin, tokenCacheName, type LoginFlow, type SavedLogin } from "./login-files.js";

export type RemoteTarget = Exclude<VaultTarget, { kind: "local" }>;

/** The tenant a local `orbitra vault serve` names in its challenges and issues tokens in (see server/identity/token-service.ts). */
export const LOCAL_SERVER_TENANT = "00000000-0000-0000-0000-000000000000";
/** The public client `orbitra login` signs in as on a local server, which accepts any client id for sign-ins. */
export const LOCAL_SERVER_CLIENT_ID = "orbitra-cli";

/** What a device-code prompt shows: the code, where to enter it, and the provider's own sentence. */
export interface DeviceCodePrompt {
  userCode: string;
  verificationUri: string;
  message: string;
  /** Seconds the code stays valid. */
  expiresIn: number;
}

export interface LoginRequest {
  target: RemoteTarget;
  flow: LoginFlow;
  env: NodeJS.ProcessEnv;
  /** Called once with the device code (device-code flow only). */
  onDeviceCode?: (prompt: DeviceCodePrompt) => void;
  abortSignal?: AbortSignal;
}

/** The scope a vault's tokens are for: Key Vault's resource in the vault's cloud (a local server accepts the public cloud's). */
export function vaultScope(target: RemoteTarget): string {
  if (target.kind === "server") return "https://vault.azure.net/.default";
  const host = new URL(target.vaultUrl).hostname;
  return `https://${host.slice(host.indexOf(".") + 1)}/.default`;
}

type Identity = typeof import("@azure/identity");

async function loadIdentity(): Promise<Identity> {
  const identity = await import("@azure/identity");
  // Idempotent: it only (re)sets the persistence factory, which reads the path from each credential's options.
  identity.useIdentityPlugin(fileTokenCachePlugin);
  return identity;
}

/** The options both user flows share: where to sign in, which client, and the environment's persistent token cache. */
function flowOptions(target: RemoteTarget, env: NodeJS.ProcessEnv) {
  const tokenCachePersistenceOptions = { enabled: true, name: tokenCacheName(env, target.environment) };
  if (target.kind === "server") {
    // The local server is its own identity provider, on the vault's origin (see server/identity/token-endpoint.ts).
    return {
      tokenCachePersistenceOptions,
      tenantId: target.tenantId ?? LOCAL_SERVER_TENANT,
      clientId: target.clientId ?? LOCAL_SERVER_CLIENT_ID,
      authorityHost: new URL(target.vaultUrl).origin,
      disableInstanceDiscovery: true,
      ...(target.caFile ? { tlsOptions: { ca: readCaFile(target.caFile) } } : {}),
    };
  }
  return {
    tokenCachePersistenceOptions,
    ...(target.tenantId ? { tenantId: target.tenantId } : {}),
    ...(target.clientId ? { clientId: target.clientId } : {}),
  };
}

/**
 * Signs a user in for one environment with @azure/identity's DeviceCodeCredential or
 * InteractiveBrowserCredential, keeps the tokens in the environment's persistent cache and saves
 * the authentication record, so later runs reuse the login without prompting ({@link savedLoginCredential}).
 */
export async function signIn(request: LoginRequest): Promise<SavedLogin> {
  const { target, env } = request;
  const identity = await loadIdentity();
  const options = flowOptions(target, env);
  const credential =
    request.flow === "device-code"
      ? new identity.DeviceCodeCredential({
          ...options,
          // @azure/identity does not pass the code's lifetime on; Entra's and ours are 15 minutes.
          userPromptCallback: (info) => request.onDeviceCode?.({ userCode: info.userCode, verificationUri: info.verificationUri, message: info.message, expiresIn: 900 }),
        } as ConstructorParameters<typeof identity.DeviceCodeCredential>[0])
      : new identity.InteractiveBrowserCredential({ ...options, redirectUri: "http://localhost" } as ConstructorParameters<typeof identity.InteractiveBrowserCredential>[0]);
  let record;
  try {
    // CAE on: the Key Vault SDK asks with enableCae, and MSAL keeps CAE tokens in a cache of their own.
    record = await credential.authenticate(vaultScope(target), { enableCae: true, ...(request.abortSignal ? { abortSignal: request.abortSignal } : {}) });
  } catch (error) {
    throw new AuthenticationError(`Sign-in for environment '${target.environment}' failed: ${explainSignInError(error)}`, { cause: error });
  }
  if (!record) throw new AuthenticationError(`Sign-in for environment '${target.environment}' returned no account; try again.`);
  const saved: SavedLogin = {
    environment: target.environment,
    flow: request.flow,
    targetKind: target.kind,
    vaultUrl: target.vaultUrl,
    record: identity.serializeAuthenticationRecord(record),
    username: record.username,
    tenantId: record.tenantId,
    clientId: record.clientId,
    savedAt: new Date().toISOString(),
  };
  saveLogin(env, saved);
  return saved;
}

/** Whether a saved login applies to this target: any vault of its cloud, but only the very server it was made on. */
export function loginApplies(saved: SavedLogin | undefined, target: RemoteTarget): saved is SavedLogin {
  if (!saved) return false;
  return saved.targetKind === target.kind && (target.kind === "azure" || saved.vaultUrl === target.vaultUrl);
}

/**
 * The silent credential of a saved login: tokens from the persistent cache, refreshed with its
 * refresh token, never a prompt. When the login can no longer give a token (expired, revoked,
 * logged out) the error says to run `orbitra login` again.
 */
export async function savedLoginCredential(saved: SavedLogin, target: RemoteTarget, env: NodeJS.ProcessEnv): Promise<TokenCredential> {
  const identity = await loadIdentity();
  const options = {
    ...flowOptions(target, env),
    authenticationRecord: identity.deserializeAuthenticationRecord(saved.record),
    disableAutomaticAuthentication: true,
  };
  const inner =
    saved.flow === "device-code"
      ? new identity.DeviceCodeCredential(options as ConstructorParameters<typeof identity.DeviceCodeCredential>[0])
      : new identity.InteractiveBrowserCredential({ ...options, redirectUri: "http://localhost" } as ConstructorParameters<typeof identity.InteractiveBrowserCredential>[0]);
  return caeCredential(inner, (error) => {
    const expired = error instanceof Error && error.name === "AuthenticationRequiredError";
    return new AuthenticationError(
      expired
        ? `The login of '${saved.username}' for environment '${target.environment}' can no longer give a token (expired, revoked or logged out). Run: orbitra login --env ${target.environment}`
        : `The login of '${saved.username}' for environment '${target.environment}' failed: ${firstLine(error)}`,
      { cause: error },
    );
  });
}

/**
 * A credential that signs the user in on first use (the chain's last links, on an interactive
 * terminal only), then behaves as the saved login.
 */
export function signInOnFirstUse(request: LoginRequest): TokenCredential {
  let ready: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      ready ??= signIn(request).then((saved) => savedLoginCredential(saved, request.target, request.env));
      return (await ready).getToken(scopes, options);
    },
  };
}

/**
 * Every request asks for CAE tokens, whoever the caller is (the SDK does, `account get-token` would
 * not): MSAL keeps CAE and non-CAE tokens in separate caches, and the login filled the CAE one.
 */
function caeCredential(inner: TokenCredential, mapError: (error: unknown) => Error): TokenCredential {
  return {
    async getToken(scopes, options) {
      try {
        return await inner.getToken(scopes, { ...options, enableCae: true });
      } catch (error) {
        throw isOrbitraError(error) ? error : mapError(error);
      }
    },
  };
}

/** MSAL reports a device-code poll's OAuth error by its code alone; say what each means. */
const OAUTH_ERRORS: Record<string, string> = {
  authorization_declined: "the sign-in was denied.",
  access_denied: "the sign-in was denied.",
  expired_token: "the code expired before it was approved (15 minutes). Run orbitra login again.",
  bad_verification_code: "the code was not recognised. Run orbitra login again.",
};

function explainSignInError(error: unknown): string {
  const line = firstLine(error);
  const code = Object.keys(OAUTH_ERRORS).find((c) => line.includes(c));
  return code ? `${OAUTH_ERRORS[code]} (${code})` : line;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.slice(0, 300);
}

export function readCaFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ConfigurationError(`Cannot read the CA file ${file} (${(error as NodeJS.ErrnoException).code ?? "error"}).`);
  }
}
