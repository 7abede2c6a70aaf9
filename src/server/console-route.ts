import { existsSync, readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { timingSafeEqual } from "node:crypto";
import type { VaultHandler, VaultRequest, VaultResponse } from "./handler.js";

/** Where the web console lives: a path Key Vault's API never uses (its paths start with a collection name). */
export const CONSOLE_PATH = "/_console";

/**
 * The console's only defence against script injection is that no script but its own bundle runs:
 * no inline script or style, no eval, nothing from another origin, not framed by anyone. Fetches go
 * to this origin only (the Key Vault API and the token endpoint beside it).
 */
const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json; charset=utf-8",
};

/** Asset names carry a content hash (scripts/bundle-console.mjs), so a browser may keep them for good. */
const HASHED = /-[A-Z0-9]{8}\.(js|css)$/;

export interface ConsoleOptions {
  /** The built console (index.html and assets/); default dist/console beside the server's code. */
  dir?: string;
  /** Open mode: the per-start token the printed URL carries in its fragment. */
  token?: string;
  /** "strict": the page signs in through /authorize; "open": it presents the token. */
  auth: "open" | "strict";
  /** The vault this listener serves, and every vault of the server with its URL, for the vaults view. */
  vault: string;
  vaults: () => { name: string; url: string }[];
}

interface StaticFile {
  type: string;
  body: string;
  cache: string;
}

/** The built console's folder, whether the server runs from src (tsx), dist, or the CLI bundle in dist/bin. */
export function defaultConsoleDir(): string | undefined {
  const candidates = ["../console/", "../../dist/console/"].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((dir) => existsSync(join(dir, "index.html")));
}

/** Reads the built files once: a handful of small text files, served from memory. */
function loadFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(folder, entry.name), `${prefix}${entry.name}/`);
      else {
        const type = TYPES[extname(entry.name)];
        if (!type) continue;
        const cache = HASHED.test(entry.name) ? "public, max-age=31536000, immutable" : "no-cache";
        files.set(`${prefix}${entry.name}`, { type, body: readFileSync(join(folder, entry.name), "utf8"), cache });
      }
    }
  };
  walk(dir, "");
  return files;
}

/**
 * The console's routes, ahead of the vault's: the static files, `config.json` (which vaults, which
 * sign-in) and, in open mode, `POST session` where the page checks its token. Everything it does
 * beyond that goes through the Key Vault REST API with a bearer token, like any other client.
 */
export function createConsoleRoute(options: ConsoleOptions, dir: string): (request: VaultRequest) => VaultResponse | Promise<VaultResponse> {
  const files = loadFiles(dir);
  // Built on first use: every listener is bound by then.
  let config: string | undefined;
  const token = options.token ? Buffer.from(options.token) : undefined;
  return (request) => {
    const queryAt = request.target.indexOf("?");
    const path = (queryAt === -1 ? request.target : request.target.slice(0, queryAt)).slice(CONSOLE_PATH.length);
    if (path === "") return reply(308, "", "text/plain; charset=utf-8", "no-store", { location: `${CONSOLE_PATH}/` });
    if (path === "/session" && request.method === "POST") return checkSession(request, token);
    if (request.method !== "GET" && request.method !== "HEAD") return reply(405, "Method not allowed.\n", "text/plain; charset=utf-8", "no-store", { allow: "GET, HEAD" });
    if (path === "/config.json") return reply(200, (config ??= JSON.stringify({ auth: options.auth, vault: options.vault, vaults: options.vaults() })), TYPES[".json"]!, "no-store");
    const file = files.get(path === "/" ? "index.html" : path.slice(1));
    if (!file) return reply(404, "Not found.\n", "text/plain; charset=utf-8", "no-store");
    return reply(200, request.method === "HEAD" ? "" : file.body, file.type, file.cache);
  };
}

/** 204 for the token this start printed, 401 for any other: a stale link says so instead of half-working. */
async function checkSession(request: VaultRequest, token: Buffer | undefined): Promise<VaultResponse> {
  let given: Buffer;
  try {
    given = Buffer.from(await request.body.read(1024));
  } catch {
    return reply(413, "Too large.\n", "text/plain; charset=utf-8", "no-store");
  }
  const ok = token !== undefined && given.length === token.length && timingSafeEqual(given, token);
  return ok ? reply(204, null, "text/plain; charset=utf-8", "no-store") : reply(401, "Unknown console token.\n", "text/plain; charset=utf-8", "no-store");
}

function reply(status: number, body: string | null, type: string, cache: string, extra: Record<string, string> = {}): VaultResponse {
  return { status, headers: { ...SECURITY_HEADERS, "content-type": type, "cache-control": cache, ...extra }, body };
}

/**
 * The console ahead of `next`: one prefix check per request, so the API's hot path pays nothing
 * else. `/_consolex` and the like fall through to the vault, which refuses them as it always has.
 */
export function withConsole(route: (request: VaultRequest) => VaultResponse | Promise<VaultResponse>, next: VaultHandler): VaultHandler {
  return (request) => {
    const target = request.target;
    if (target.startsWith(CONSOLE_PATH) && (target.length === CONSOLE_PATH.length || target[CONSOLE_PATH.length] === "/" || target[CONSOLE_PATH.length] === "?")) {
      return route(request);
    }
    return next(request);
  };
}
