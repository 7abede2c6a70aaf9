/**
 * How the console gets its bearer token. Open mode: the token the server printed in the URL's
 * fragment (never sent in a request line, so never in a log), checked once with the server and
 * kept for this tab. Strict mode: the server's own authorization-code + PKCE sign-in, with this
 * page as the redirect URI; every call then runs as the signed-in user under RBAC.
 */
export interface ConsoleConfig {
  auth: "open" | "strict";
  vault: string;
  vaults: { name: string; url: string }[];
}

const TOKEN_KEY = "orbitra.console.token";
const PENDING_KEY = "orbitra.console.pending";
/** Any tenant segment reaches this server's token endpoint; this one is Key Vault's challenge tenant. */
const TENANT = "00000000-0000-0000-0000-000000000000";
const CLIENT_ID = "orbitra-console";
const SCOPE = "https://vault.azure.net/.default";
const REDIRECT = () => `${location.origin}/_console/`;

export class SignInError extends Error {}

export function currentToken(): string | undefined {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function signOut(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** The token for this tab, or undefined when the user must sign in (strict) first. */
export async function establishToken(config: ConsoleConfig): Promise<string | undefined> {
  if (config.auth === "open") return openModeToken();
  const query = new URLSearchParams(location.search);
  if (query.has("code") || query.has("error")) return finishSignIn(query);
  return currentToken();
}

async function openModeToken(): Promise<string> {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const fromUrl = fragment.get("token");
  if (fromUrl) history.replaceState(null, "", `${location.pathname}#/`);
  const token = fromUrl ?? currentToken();
  if (!token) throw new SignInError("Open this console with the URL that 'orbitra vault serve' printed: it carries this start's token.");
  const answer = await fetch("/_console/session", { method: "POST", body: token, cache: "no-store" });
  if (answer.status !== 204) {
    signOut();
    throw new SignInError("This console link is from an earlier start of the server: use the URL it printed this time.");
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  return token;
}

function base64url(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return btoa(String.fromCharCode(...view)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Sends the browser to the server's /authorize; it comes back to this page with a code. */
export async function startSignIn(): Promise<void> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
  const url = new URL(`/${TENANT}/oauth2/v2.0/authorize`, location.origin);
  const params = { client_id: CLIENT_ID, response_type: "code", redirect_uri: REDIRECT(), scope: SCOPE, code_challenge: challenge, code_challenge_method: "S256", state };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  location.assign(url.href);
}

async function finishSignIn(query: URLSearchParams): Promise<string> {
  // The code leaves the address bar at once: it is single-use, but it has no business in history.
  history.replaceState(null, "", `${location.pathname}#/`);
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? "null") as { verifier: string; state: string } | null;
  sessionStorage.removeItem(PENDING_KEY);
  if (query.has("error")) throw new SignInError(query.get("error_description") ?? `Sign-in failed: ${query.get("error")}.`);
  if (!pending || pending.state !== query.get("state")) throw new SignInError("This sign-in was not started from this tab: sign in again.");
  const form = new URLSearchParams({
    grant_type: "authorization_code",
    client_id: CLIENT_ID,
    code: query.get("code") ?? "",
    redirect_uri: REDIRECT(),
    code_verifier: pending.verifier,
    scope: SCOPE,
  });
  const answer = await fetch(`/${TENANT}/oauth2/v2.0/token`, { method: "POST", body: form, cache: "no-store" });
  const body = (await answer.json()) as { access_token?: string; error_description?: string };
  if (!answer.ok || !body.access_token) throw new SignInError(body.error_description ?? "The server refused the sign-in.");
  sessionStorage.setItem(TOKEN_KEY, body.access_token);
  return body.access_token;
}
