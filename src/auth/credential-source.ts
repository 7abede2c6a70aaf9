import { delimiter, join } from "node:path";
import { statSync } from "node:fs";

/**
 * Which link of the credential chain serves a target, decided from the environment alone: no
 * network, no process spawned, so the choice is instant, testable, and a laptop without any
 * identity fails at once instead of after a managed-identity probe times out.
 *
 * Order (first match wins):
 *   app-secret         ORBITRA_APP_CLIENT_ID + ORBITRA_APP_CLIENT_SECRET (+ ORBITRA_APP_TENANT_ID or the environment's tenant)
 *   managed-identity   configured: ORBITRA_MANAGED_IDENTITY=true, ORBITRA_MANAGED_IDENTITY_CLIENT_ID, or a host that
 *                      advertises its endpoint (IDENTITY_ENDPOINT, MSI_ENDPOINT); Azure targets only
 *   environment        AZURE_TENANT_ID + AZURE_CLIENT_ID + AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH; Azure targets only
 *   user-login         a saved `orbitra login` for this environment that applies to the target (reused silently)
 *   azure-cli          an `az` executable on PATH (its login is reused; Azure targets only)
 *   device-code        an interactive terminal and ORBITRA_INTERACTIVE_LOGIN_DISABLED=true or no browser: sign in now
 *   interactive-browser  an interactive terminal with a browser: sign in now
 *   open-mode          a local server target with none of the above: a placeholder token an open-mode server accepts
 *   none               nothing can give a token: fail with what to run
 *
 * A local server target takes app-secret, then user-login, then open-mode: its sign-ins are made
 * explicitly with `orbitra login`, and an open-mode server wants no identity at all.
 */
export type CredentialSourceKind =
  | "app-secret"
  | "managed-identity"
  | "environment"
  | "user-login"
  | "azure-cli"
  | "device-code"
  | "interactive-browser"
  | "open-mode"
  | "none";

export interface CredentialSelectionInput {
  targetKind: "azure" | "server";
  env: NodeJS.ProcessEnv;
  /** Whether `az` is installed; injected so the selection stays pure (see {@link hasAzureCli}). */
  azureCliInstalled: boolean;
  /** Whether a saved `orbitra login` applies to this environment's target. */
  savedLogin?: boolean;
  /** Whether someone is at a terminal to sign in (see {@link isInteractive}); never in CI. */
  interactive?: boolean;
  /** Whether a browser can be opened here (see {@link browserAvailable}). */
  browser?: boolean;
}

const TRUE = /^(1|true|yes)$/i;

export function selectCredentialSource(input: CredentialSelectionInput): CredentialSourceKind {
  const { env } = input;
  if (env.ORBITRA_APP_CLIENT_ID && env.ORBITRA_APP_CLIENT_SECRET) return "app-secret";
  if (input.targetKind === "server") return input.savedLogin ? "user-login" : "open-mode";
  if (TRUE.test(env.ORBITRA_MANAGED_IDENTITY ?? "") || env.ORBITRA_MANAGED_IDENTITY_CLIENT_ID || env.IDENTITY_ENDPOINT || env.MSI_ENDPOINT) {
    return "managed-identity";
  }
  if (env.AZURE_TENANT_ID && env.AZURE_CLIENT_ID && (env.AZURE_CLIENT_SECRET || env.AZURE_CLIENT_CERTIFICATE_PATH)) return "environment";
  if (input.savedLogin) return "user-login";
  if (input.azureCliInstalled) return "azure-cli";
  if (input.interactive) return interactiveLoginDisabled(env) || !input.browser ? "device-code" : "interactive-browser";
  return "none";
}

export function interactiveLoginDisabled(env: NodeJS.ProcessEnv): boolean {
  return TRUE.test(env.ORBITRA_INTERACTIVE_LOGIN_DISABLED ?? "");
}

/** A person at a terminal who can answer a sign-in prompt: stdin and stderr are terminals, and this is not CI. */
export function isInteractive(env: NodeJS.ProcessEnv, stdinIsTty = Boolean(process.stdin.isTTY), stderrIsTty = Boolean(process.stderr.isTTY)): boolean {
  return stdinIsTty && stderrIsTty && !TRUE.test(env.CI ?? "");
}

/**
 * Whether a browser can be opened for sign-in: not over SSH, and on Linux only with a display
 * (or WSL, which opens the Windows browser). The device-code flow covers the rest.
 */
export function browserAvailable(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  if (env.SSH_CONNECTION || env.SSH_TTY) return false;
  if (platform === "linux") return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY || env.WSL_DISTRO_NAME || env.BROWSER);
  return platform === "darwin" || platform === "win32";
}

/** Whether an `az` executable is on PATH, by looking, not by running it (a spawn of az costs seconds). */
export function hasAzureCli(env: NodeJS.ProcessEnv): boolean {
  const names = process.platform === "win32" ? ["az.cmd", "az.exe"] : ["az"];
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      try {
        if (statSync(join(dir, name)).isFile()) return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}

/** What to run when no link applies: the message of the fail-fast AuthenticationError, one line. */
export function noCredentialMessage(environment: string): string {
  return (
    `No credential for environment '${environment}': nothing in the chain applies. ` +
    `Sign in with 'orbitra login --env ${environment}' (add --use-device-code without a browser) or 'az login'; ` +
    "or set ORBITRA_APP_CLIENT_ID, ORBITRA_APP_CLIENT_SECRET and ORBITRA_APP_TENANT_ID (a service principal), " +
    "AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (the Azure SDK's variables), " +
    "or ORBITRA_MANAGED_IDENTITY=true on an Azure host with a managed identity."
  );
}

/**
 * Half a service principal is a mistake, not a reason to try the next link: without this, a
 * client id with no secret fell through to a local server's placeholder token and a 401 that
 * named neither variable.
 */
export function halfServicePrincipal(env: NodeJS.ProcessEnv): string | undefined {
  const id = Boolean(env.ORBITRA_APP_CLIENT_ID);
  const secret = Boolean(env.ORBITRA_APP_CLIENT_SECRET);
  if (id === secret) return undefined;
  return id
    ? "ORBITRA_APP_CLIENT_ID is set but ORBITRA_APP_CLIENT_SECRET is not: set both for a service principal, or unset ORBITRA_APP_CLIENT_ID."
    : "ORBITRA_APP_CLIENT_SECRET is set but ORBITRA_APP_CLIENT_ID is not: set both for a service principal, or unset ORBITRA_APP_CLIENT_SECRET.";
}
