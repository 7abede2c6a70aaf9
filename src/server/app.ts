import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import type { LocalVault } from "../store/local-vault.js";
import { checkApiVersion } from "./api-version.js";
import { bearerToken, openModeAuthorizer, type Authorizer } from "./auth.js";
import { applyFaults, type FaultOptions } from "./faults.js";
import { badParameter, KeyVaultHttpError, toHttpError } from "./http-error.js";
import { matchSecretsRoute } from "./secrets-routes.js";

export interface VaultAppOptions {
  vault: LocalVault;
  /** Decides who a token belongs to and whether it may act; default: any non-empty token. */
  authorize?: Authorizer;
  /** Checked after the token is known: throw a KeyVaultHttpError (403) to deny. */
  permit?: (principal: Awaited<ReturnType<Authorizer>>, action: string) => void | Promise<void>;
  faults?: FaultOptions;
  /** One line per request, never a body. */
  accessLog?: (line: string) => void;
  /** Request bodies above this are refused with 413; Key Vault's largest (a 25 KB value, escaped) fits well. */
  bodyLimit?: number;
  /** Vault URL for requests that carry no usable Host header. */
  fallbackOrigin?: string;
}

const JSON_TYPE = "application/json; charset=utf-8";
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** The Key Vault secrets REST API over one store, as a Hono app (tests call `app.request()` in-process). */
export function createVaultApp(options: VaultAppOptions): Hono {
  const app = new Hono();
  const authorize = options.authorize ?? openModeAuthorizer;
  const bodyLimit = options.bodyLimit ?? 256 * 1024;

  app.all("*", async (c) => {
    const started = performance.now();
    const request = c.req.raw;
    const headers: Record<string, string> = {
      "x-ms-request-id": randomUUID(),
      "x-ms-keyvault-service-version": "orbitra",
    };
    const clientRequestId = request.headers.get("x-ms-client-request-id");
    if (clientRequestId && clientRequestId.length <= 200) headers["x-ms-client-request-id"] = clientRequestId;
    let response: Response;
    let path = "?";
    try {
      const url = new URL(request.url);
      path = url.pathname;
      if (options.faults?.latencyMs) await applyFaults({ latencyMs: options.faults.latencyMs });
      // The SDK's first request of a client carries no token and an emptied body: answer the
      // challenge before looking at anything else (fact sheet §3.2).
      const token = bearerToken(request.headers.get("authorization"));
      const principal = await authorize(token, { method: request.method, path });
      if (options.faults?.throttleRate) await applyFaults({ ...options.faults, latencyMs: 0 });
      const segments = decodeSegments(path);
      const route = matchSecretsRoute(request.method, segments);
      const apiVersion = checkApiVersion(url.searchParams.get("api-version"));
      await options.permit?.(principal, `Microsoft.KeyVault/vaults/secrets/${route.action}`);
      const host = request.headers.get("host");
      const vaultUrl = host && HOST.test(host) ? `https://${host}` : (options.fallbackOrigin ?? url.origin);
      const result = await route.run(options.vault, {
        method: request.method,
        segments,
        query: url.searchParams,
        vaultUrl,
        apiVersion,
        raw: request,
        bodyLimit,
      });
      response =
        result.status === 204
          ? new Response(null, { status: 204, headers })
          : new Response(JSON.stringify(result.body), { status: result.status, headers: { ...headers, "content-type": JSON_TYPE } });
    } catch (error) {
      const httpError = toHttpError(error);
      if (httpError.status >= 500 && !(error instanceof KeyVaultHttpError)) {
        options.accessLog?.(`error ${request.method} ${path}: ${(error as Error)?.message ?? String(error)}`);
      }
      response = new Response(httpError.body(), {
        status: httpError.status,
        headers: { ...headers, ...httpError.headers, "content-type": JSON_TYPE },
      });
    }
    options.accessLog?.(`${request.method} ${path} ${response.status} ${(performance.now() - started).toFixed(1)}ms`);
    return response;
  });
  return app;
}

/** Path segments, percent-decoded one by one (so `%2F` inside a name stays inside it and is refused). */
function decodeSegments(pathname: string): string[] {
  const segments = pathname.replace(/^\/+/, "").split("/");
  if (segments.length === 1 && segments[0] === "") return [];
  return segments.map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw badParameter("The request URI is not valid percent-encoding.");
    }
  });
}
