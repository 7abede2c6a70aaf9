import { readFileSync } from "node:fs";
import { request } from "node:https";
import { tokenCacheName, type SavedLogin } from "./login-files.js";

/** Long enough for a loopback server, short enough that logout never hangs on a stopped one. */
const REVOKE_TIMEOUT_MS = 5_000;

/** The refresh tokens MSAL keeps for an environment's login (its cache file, and the CAE / non-CAE ones MSAL may split it into; see file-token-cache.ts). */
export function savedRefreshTokens(env: NodeJS.ProcessEnv, environment: string): string[] {
  const tokens: string[] = [];
  for (const suffix of [".json", ".cae.json", ".nocae.json"]) {
    let cache: { RefreshToken?: Record<string, { secret?: unknown }> };
    try {
      cache = JSON.parse(readFileSync(`${tokenCacheName(env, environment)}${suffix}`, "utf8")) as typeof cache;
    } catch {
      continue;
    }
    for (const entry of Object.values(cache.RefreshToken ?? {})) if (typeof entry.secret === "string") tokens.push(entry.secret);
  }
  return [...new Set(tokens)];
}

/**
 * Tells the local server a login made on it to refuse its refresh tokens from now on (RFC 7009,
 * the server's `oauth2/v2.0/revoke`), so that a copy of the token cache is worth nothing after
 * `orbitra logout`. Entra has no such endpoint for public clients, so Azure logins are only
 * forgotten. Best effort: true when the server took every token, false when it could not be told.
 */
export async function revokeServerLogin(env: NodeJS.ProcessEnv, saved: SavedLogin, ca: Buffer | undefined): Promise<boolean> {
  if (saved.targetKind !== "server") return true;
  const endpoint = new URL(`/${encodeURIComponent(saved.tenantId)}/oauth2/v2.0/revoke`, new URL(saved.vaultUrl).origin);
  const results = await Promise.all(savedRefreshTokens(env, saved.environment).map((token) => post(endpoint, { token, client_id: saved.clientId, token_type_hint: "refresh_token" }, ca)));
  return results.every(Boolean);
}

function post(url: URL, form: Record<string, string>, ca: Buffer | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      url,
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, timeout: REVOKE_TIMEOUT_MS, ...(ca ? { ca } : {}) },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end(new URLSearchParams(form).toString());
  });
}
