import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomically } from "../core/atomic-file.js";
import { ConfigurationError } from "../core/errors.js";
import { orbitraHome } from "../settings/paths.js";

/** How a user signed in; the same flow's credential class reuses the login silently. */
export type LoginFlow = "device-code" | "interactive-browser";

/**
 * What `orbitra login` keeps for one environment, `$ORBITRA_HOME/login/<env>.json` (0600): the
 * @azure/identity AuthenticationRecord (who, which tenant and authority; no token) and where it
 * applies. The tokens themselves are in the MSAL cache files beside it (see file-token-cache.ts).
 */
export interface SavedLogin {
  environment: string;
  flow: LoginFlow;
  /** Azure (Entra ID) or a local server (its own identity provider). */
  targetKind: "azure" | "server";
  /** The vault the login was made for: a login to one local server is no use for another. */
  vaultUrl: string;
  /** serializeAuthenticationRecord() of the signed-in account. */
  record: string;
  username: string;
  tenantId: string;
  clientId: string;
  savedAt: string;
}

/** Environment names are settings keys; anything else could escape the folder. */
const SAFE_ENV = /^[A-Za-z0-9_.-]{1,64}$/;

export function loginDir(env: NodeJS.ProcessEnv): string {
  return join(orbitraHome(env), "login");
}

function fileStem(dir: string, environment: string): string {
  if (!SAFE_ENV.test(environment) || environment.startsWith(".")) {
    throw new ConfigurationError(`Environment '${environment.slice(0, 64)}' cannot have a saved login: its name must be letters, digits, '.', '_' or '-'.`);
  }
  return join(dir, environment.toLowerCase());
}

export function loginRecordFile(env: NodeJS.ProcessEnv, environment: string): string {
  return `${fileStem(loginDir(env), environment)}.json`;
}

/**
 * The `name` of the environment's persistent token cache. Our cache plugin takes it as a path
 * (MSAL appends `.cae` / `.nocae`), so each environment's tokens live and die with its login.
 */
export function tokenCacheName(env: NodeJS.ProcessEnv, environment: string): string {
  return `${fileStem(loginDir(env), environment)}.tokens`;
}

/** orbitra's copy of the Azure CLI's access tokens (see token-cache-credential.ts): one file for every environment. */
export function azureCliTokenFile(env: NodeJS.ProcessEnv): string {
  return join(loginDir(env), "azure-cli-tokens.json");
}

/** Where a two-step device-code sign-in (`orbitra login --start-device-code`) keeps its state. */
export function pendingSignInFile(env: NodeJS.ProcessEnv, environment: string): string {
  return `${fileStem(loginDir(env), environment)}.pending.json`;
}

export function readSavedLogin(env: NodeJS.ProcessEnv, environment: string): SavedLogin | undefined {
  // A name no login file can have has no saved login; other credentials still serve it.
  if (!SAFE_ENV.test(environment) || environment.startsWith(".")) return undefined;
  let text: string;
  try {
    text = readFileSync(loginRecordFile(env, environment), "utf8");
  } catch {
    return undefined;
  }
  try {
    const saved = JSON.parse(text) as SavedLogin;
    return typeof saved.record === "string" && typeof saved.vaultUrl === "string" ? saved : undefined;
  } catch {
    // A damaged record is as good as none: the next `orbitra login` rewrites it.
    return undefined;
  }
}

export function saveLogin(env: NodeJS.ProcessEnv, saved: SavedLogin): void {
  mkdirSync(loginDir(env), { recursive: true, mode: 0o700 });
  writeFileAtomically(loginRecordFile(env, saved.environment), JSON.stringify(saved, null, 2) + "\n", 0o600);
}

/** Every environment with a saved login. */
export function savedLogins(env: NodeJS.ProcessEnv): SavedLogin[] {
  let names: string[];
  try {
    names = readdirSync(loginDir(env));
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith(".json") && !n.includes(".tokens.") && !n.includes(".pending."))
    .map((n) => readSavedLogin(env, n.slice(0, -".json".length)))
    .filter((s): s is SavedLogin => s !== undefined);
}

/** Deletes an environment's login record, token caches and any pending two-step sign-in. Returns whether anything was there. */
export function forgetLogin(env: NodeJS.ProcessEnv, environment: string): boolean {
  const dir = loginDir(env);
  const stem = fileStem(dir, environment);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return false;
  }
  const base = stem.slice(dir.length + 1);
  const mine = names.filter((n) => n === `${base}.json` || n.startsWith(`${base}.tokens.`) || n.startsWith(`${base}.pending.`));
  for (const n of mine) rmSync(join(dir, n), { force: true });
  return mine.some((n) => n === `${base}.json`);
}
