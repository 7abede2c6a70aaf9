import { createHash } from "node:crypto";
import type { VaultResponse } from "../handler.js";
import type { BrowserSignIn } from "./device-codes.js";
import { grantResource, type GrantResult, type UserGrantOptions } from "./user-grants.js";

/** How the browser hands the answer to the client's loopback listener. */
interface Reply {
  redirectUri: string;
  formPost: boolean;
}

/** A public client id as MSAL sends it (see user-grants.ts). */
const CLIENT_ID = /^[A-Za-z0-9._-]{1,64}$/;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** The console's page (server/console-route.ts's CONSOLE_PATH); spelled out so identity/ does not reach into the console's module. */
const CONSOLE_REDIRECT_PATH = "/_console/";

/**
 * The authorization-code flow with PKCE that @azure/identity's InteractiveBrowserCredential runs:
 * MSAL opens `GET {tenant}/oauth2/v2.0/authorize` in the user's browser and listens on a loopback
 * redirect URI for the code. This server has no passwords to ask for, so the page shows a code
 * to approve exactly like a device code (`orbitra vault device approve CODE --user NAME`, or
 * `--auto-approve`) and reloads itself until it can redirect. The approved row's secret is the
 * authorization code; the token endpoint gives tokens for it only with the PKCE verifier.
 */
export function createBrowserSignIn(options: UserGrantOptions) {
  const codes = options.identities.deviceCodes;

  /**
   * Where the browser goes once the sign-in is decided: the client's loopback listener, by a
   * redirect with the answer in the query, or, for `response_mode=form_post` (what MSAL Node asks
   * for since 3.x and insists on: a code in a URL lands in the browser's history), by a page whose
   * form posts the answer there. The mode rides along in the waiting page's URL: it decides only
   * how the answer travels, never where (the redirect URI is the one stored with the sign-in).
   */
  function backToClient(client: Reply, params: Record<string, string>): VaultResponse {
    if (client.formPost) return formPost(client.redirectUri, params);
    const target = new URL(client.redirectUri);
    for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
    return { status: 302, headers: { location: target.href, "cache-control": "no-store" }, body: "" };
  }

  function formPost(action: string, params: Record<string, string>): VaultResponse {
    const fields = Object.entries(params)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join("");
    const html =
      `<!doctype html><html><head><meta charset="utf-8"><title>orbitra sign-in</title></head>` +
      `<body onload="document.forms[0].submit()"><form method="post" action="${escapeHtml(action)}">${fields}` +
      `<noscript><p>Script is off: press the button to finish signing in.</p><button type="submit">Continue</button></noscript></form></body></html>`;
    return { status: 200, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }, body: html };
  }

  function waitingPage(continueUrl: string, userCode: string): VaultResponse {
    const html =
      `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="2;url=${escapeHtml(continueUrl)}"><title>orbitra sign-in</title></head>` +
      `<body><h1>Sign-in code ${escapeHtml(userCode)}</h1><p>Ask the vault's administrator to run</p>` +
      `<pre>orbitra vault device approve ${escapeHtml(userCode)} --user NAME</pre><p>This page continues by itself once the sign-in is approved.</p></body></html>`;
    return { status: 200, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }, body: html };
  }

  function problem(status: number, text: string, headers: Record<string, string> = {}): VaultResponse {
    return { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers }, body: `${text}\n` };
  }

  function decided(code: string, state: string, continueUrl: string, userCode: string, formPost: boolean): VaultResponse {
    const found = codes.peek(code, options.nowSeconds());
    if (found.state === "unknown" || !found.browser) return problem(400, "Unknown or finished sign-in. Start again from the application.");
    const echo: Record<string, string> = state ? { state } : {};
    const client: Reply = { redirectUri: found.browser.redirectUri, formPost };
    switch (found.state) {
      case "approved":
        return backToClient(client, { code, ...echo });
      case "denied":
        return backToClient(client, { error: "access_denied", error_description: "The sign-in was denied by the vault's administrator.", ...echo });
      case "expired":
        return backToClient(client, { error: "expired_token", error_description: "The sign-in was not approved in time.", ...echo });
      case "pending":
        return waitingPage(continueUrl, userCode);
    }
  }

  return {
    /** GET {tenant}/oauth2/v2.0/authorize */
    authorize(query: URLSearchParams, origin: string, tenant: string, source?: string): VaultResponse {
      const clientId = query.get("client_id") ?? "";
      const redirectUri = loopbackRedirect(query.get("redirect_uri")) ?? consoleRedirect(query.get("redirect_uri"), origin);
      // Without a trustworthy redirect URI, errors are shown here, never sent on (RFC 6749 §4.1.2.1).
      if (!CLIENT_ID.test(clientId) || !redirectUri) {
        return problem(400, "This server signs in public clients with a loopback redirect URI (http://localhost:PORT) or its own web console (/_console/) only.");
      }
      const state = query.get("state") ?? "";
      const echo: Record<string, string> = state ? { state } : {};
      const mode = query.get("response_mode") ?? "query";
      const client: Reply = { redirectUri, formPost: mode === "form_post" };
      if (mode !== "query" && mode !== "form_post") return backToClient(client, { error: "invalid_request", error_description: "response_mode is query or form_post.", ...echo });
      if (query.get("response_type") !== "code") return backToClient(client, { error: "unsupported_response_type", ...echo });
      const challenge = query.get("code_challenge") ?? "";
      if (query.get("code_challenge_method") !== "S256" || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
        return backToClient(client, { error: "invalid_request", error_description: "PKCE with S256 is required.", ...echo });
      }
      const resource = grantResource(query.get("scope"), options.tokens);
      if (typeof resource !== "string") return backToClient(client, { error: resource.error, error_description: resource.description, ...echo });
      const browser: BrowserSignIn = { redirectUri, codeChallenge: challenge };
      const issued = codes.issue(clientId, resource, options.nowSeconds(), browser, source);
      if ("limited" in issued) {
        return problem(429, "Too many sign-ins are waiting for approval; try again later.", { "retry-after": String(issued.retryAfterSeconds) });
      }
      if (options.autoApprove) codes.decide(issued.userCode, { approveAs: options.autoApprove.id }, options.nowSeconds());
      const next = new URL(`${origin}/${tenant}/oauth2/v2.0/authorize/continue`);
      next.searchParams.set("request", issued.deviceCode);
      next.searchParams.set("user_code", issued.userCode);
      if (state) next.searchParams.set("state", state);
      if (client.formPost) next.searchParams.set("response_mode", "form_post");
      return decided(issued.deviceCode, state, next.href, issued.userCode, client.formPost);
    },

    /** GET {tenant}/oauth2/v2.0/authorize/continue: the waiting page reloads here. */
    continue(query: URLSearchParams, url: string): VaultResponse {
      return decided(query.get("request") ?? "", query.get("state") ?? "", url, (query.get("user_code") ?? "").slice(0, 9), query.get("response_mode") === "form_post");
    },

    /** grant_type=authorization_code, with the PKCE verifier and the same redirect URI. */
    redeemAuthorizationCode(form: URLSearchParams, origin: string): GrantResult {
      const clientId = form.get("client_id") ?? "";
      const redirectUri = form.get("redirect_uri") ?? "";
      const verifier = form.get("code_verifier") ?? "";
      const challenge = createHash("sha256").update(verifier).digest("base64url");
      const poll = codes.poll(form.get("code") ?? "", clientId, options.nowSeconds(), (b) => b !== undefined && b.redirectUri === redirectUri && b.codeChallenge === challenge);
      if (poll.state !== "approved") {
        return { error: "invalid_grant", description: "AADSTS70000: The authorization code is unknown, already used, not approved, or the PKCE verifier or redirect URI does not match.", code: 70000 };
      }
      const user = options.identities.getPrincipal(poll.principalId);
      if (!user) return { error: "invalid_grant", description: "AADSTS50034: The approving user no longer exists.", code: 50034 };
      return { status: 200, body: { ...options.tokens.issueUser(user, poll.scope, origin, clientId) } };
    },
  };
}

/** The redirect URI, if it is http on a loopback host (where MSAL's listener is); otherwise undefined. */
function loopbackRedirect(text: string | null): string | undefined {
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname) && !url.username && !url.password ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The web console's own page on this server's origin, exactly `https://HOST:PORT/_console/`: the
 * code then lands where it was asked from. `origin` comes from a Host header that guardHost has
 * already checked against the server's names, so no other site can be named here.
 */
function consoleRedirect(text: string | null, origin: string): string | undefined {
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return url.origin === new URL(origin).origin && url.pathname === CONSOLE_REDIRECT_PATH && !url.search && !url.hash && !url.username ? text : undefined;
  } catch {
    return undefined;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
