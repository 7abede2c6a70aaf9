import { randomUUID } from "node:crypto";
import type { LocalVault } from "../store/local-vault.js";
import { formatAccessLine } from "./access-log.js";
import { checkApiVersion } from "./api-version.js";
import { bearerToken, openModeAuthorizer, type Authorizer, type Principal } from "./auth.js";
import type { BodySource } from "./body.js";
import type { ConsistencyWindow } from "./consistency-delay.js";
import { badParameter, KeyVaultHttpError, toHttpError } from "./errors.js";
import { createFaults, type FaultOptions } from "./faults.js";
import { retryWhileLocked } from "./lock-retry.js";
import type { VaultRateLimit } from "./rate-limit.js";
import { QueryValues, RequestMemo, type ReadonlyQuery } from "./request-memo.js";
import { AuthView, OperationContext, pathOf } from "./request-views.js";
import type { MatchedRoute, RouteResult } from "./routes/route.js";
import { matchRoute } from "./routes/table.js";
import { requestHost, selectVault, type HostedVault } from "./vault-host.js";

/** A request as the core sees it, whatever carried it (node:https in serve.ts, Hono in app.ts). */
export interface VaultRequest {
  method: string;
  /** Path and query as sent, e.g. `/secrets/db/?api-version=7.5`. */
  target: string;
  scheme: "https" | "http";
  /** A header by lowercase name; repeated headers joined with ", ". */
  header(name: string): string | undefined;
  body: BodySource;
  /** The peer's IP address, where the transport knows it: what sign-in throttling counts per source. */
  remoteAddress?: string | undefined;
}

export interface VaultResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON text, or null (204). */
  body: string | null;
}

/**
 * A response, synchronously when nothing on the way was asynchronous (the common case: the store
 * is synchronous), else a promise. Skipping the promise hop per request is measurable under load.
 */
export type VaultHandler = (request: VaultRequest) => VaultResponse | Promise<VaultResponse>;

export interface VaultHandlerOptions {
  /** The vault this listener serves. */
  vault: LocalVault;
  /** Its name, for logs and Host routing. Default "default". */
  vaultName?: string;
  /** Every vault of the server by lowercase name, so `NAME.localhost` reaches any of them from any port. */
  vaults?: ReadonlyMap<string, HostedVault>;
  /** Who may do what; default: open mode (any non-empty bearer token). */
  authorize?: Authorizer;
  faults?: FaultOptions;
  /** One line per request: vault, method, path, status, milliseconds. Never a body or a value. */
  accessLog?: (line: string) => void;
  /** Where unexpected errors (500s) are described; default: the access log. */
  errorLog?: (line: string) => void;
  /** Largest request body in bytes (default 256 KiB; a 25 KB value, JSON-escaped, fits well). */
  bodyLimit?: number;
  /** Origin for requests without a Host header. Default `https://localhost`. */
  fallbackOrigin?: string;
  /** `--consistency-delay`: deleted and recovered secrets show up late, as on Azure. */
  consistency?: ConsistencyWindow;
  /**
   * The vault's clock, when it is not the machine's (the testing kit moves it): every reply's
   * `Date` header then tells it, as Azure's replies tell Azure's time, so a client can judge
   * expiry by the vault's time. Without it Node writes the machine's time.
   */
  clock?: () => number;
  /** `--rate-limit azure`: Key Vault's per-vault throttling (rate-limit.ts); one instance for every vault of a server. */
  rateLimit?: VaultRateLimit;
}

export const DEFAULT_BODY_LIMIT = 256 * 1024;
const JSON_TYPE = "application/json; charset=utf-8";
const CLIENT_REQUEST_ID = /^[\x21-\x7e]{1,200}$/;

/**
 * The Key Vault secrets API over one store, as a function of a request. The order of checks is
 * the service's contract with the SDK: the bearer token first, before the body is even looked at
 * (the SDK's first request has no token and an emptied body, §3.2); then vault, route and
 * api-version, all without the body; then the authorizer; then the operation, which reads the
 * body only if it has one. Every failure becomes Key Vault's JSON envelope.
 */
export function createVaultHandler(options: VaultHandlerOptions): VaultHandler {
  const own: HostedVault = { name: options.vaultName ?? "default", store: options.vault };
  const authorize = options.authorize ?? openModeAuthorizer;
  const faults = createFaults(options.faults);
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const fallbackOrigin = options.fallbackOrigin ?? "https://localhost";
  const accessLog = options.accessLog;
  const errorLog = options.errorLog ?? accessLog;
  const consistency = options.consistency;
  const dateHeader = options.clock ? httpDateOf(options.clock) : undefined;
  const rateLimit = options.rateLimit;

  const targets = new Map<string, RequestMemo<TargetAnswer>>();
  const hosts = new RequestMemo<AddressedVault>(64);

  /**
   * The operation (routes/table.ts), the query and its checked api-version, for a method and a
   * request target, remembered per method. A bad path is answered before a bad api-version.
   */
  function targetOf(method: string, exchange: Exchange): TargetAnswer {
    const target = exchange.request.target;
    let memo = targets.get(method);
    const known = memo?.get(target);
    if (known) return known;
    const route = matchRoute(method, pathSegments(exchange.path));
    const query = new QueryValues(exchange.query);
    const answer: TargetAnswer = { route, query, apiVersion: checkApiVersion(query.get("api-version")) };
    if (!memo) targets.set(method, (memo = new RequestMemo()));
    return memo.set(target, answer);
  }

  /** Where ids point and which vault serves, from the Host header (vault-host.ts). */
  function vaultOf(scheme: string, hostHeader: string | undefined): AddressedVault {
    const key = hostHeader ?? "";
    const known = hosts.get(key);
    if (known && known.scheme === scheme) return known;
    const host = requestHost(scheme, hostHeader, fallbackOrigin);
    return hosts.set(key, { scheme, origin: host.origin, vault: selectVault(host.hostname, own, options.vaults) });
  }

  /** Up to the authorizer's decision: everything that needs neither the body nor the store. */
  function authorizeStep(exchange: Exchange): VaultResponse | Promise<VaultResponse> {
    try {
      const { request } = exchange;
      const token = bearerToken(request.header("authorization"));
      const { vault, origin } = vaultOf(request.scheme, request.header("host"));
      exchange.vaultName = vault.name;
      const { route, query, apiVersion } = targetOf(request.method, exchange);
      const context = new OperationContext(vault, route, query, origin, apiVersion, request.body, bodyLimit);
      const decision = authorize(new AuthView(token, request, vault.name, route.operation.action));
      if (isPromise(decision)) return decision.then((d) => operationStep(exchange, d, context), (error) => exchange.fail(error));
      return operationStep(exchange, decision, context);
    } catch (error) {
      return exchange.fail(error);
    }
  }

  function operationStep(exchange: Exchange, decision: Principal | KeyVaultHttpError, context: OperationContext): VaultResponse | Promise<VaultResponse> {
    try {
      if (decision instanceof KeyVaultHttpError) throw decision;
      const throttled = faults.throttle();
      if (throttled) throw throttled;
      const { operation } = context.route;
      const vaultName = context.vault.name;
      // After the authorizer, as on Key Vault: a refused token or role is answered, not throttled.
      const limited = rateLimit?.check(vaultName, operation.action);
      if (limited) throw limited;
      consistency?.check(vaultName, operation.name, context.name);
      const result = retryWhileLocked(operation, context);
      if (isPromise(result)) return result.then((r) => finishStep(exchange, context, r), (error) => exchange.fail(error));
      return finishStep(exchange, context, result);
    } catch (error) {
      return exchange.fail(error);
    }
  }

  /** A function of the handler, not a closure per request: the synchronous path allocates none. */
  function finishStep(exchange: Exchange, context: OperationContext, result: RouteResult): VaultResponse {
    consistency?.record(context.vault.name, context.route.operation.name, context.name);
    return exchange.finish(result);
  }

  return function handle(request: VaultRequest): VaultResponse | Promise<VaultResponse> {
    const exchange = new Exchange(request, own.name, accessLog, errorLog);
    if (dateHeader) exchange.headers.date = dateHeader();
    const delay = faults.delay();
    return delay ? delay.then(() => authorizeStep(exchange)) : authorizeStep(exchange);
  };
}

/** The clock as an HTTP date, formatted once per second of it (as Node does for its own Date header). */
function httpDateOf(clock: () => number): () => string {
  let second = Number.NaN;
  let text = "";
  return () => {
    const now = Math.floor(clock() / 1000);
    if (now !== second) {
      second = now;
      text = new Date(now * 1000).toUTCString();
    }
    return text;
  };
}

interface TargetAnswer {
  route: MatchedRoute;
  query: ReadonlyQuery;
  apiVersion: string;
}

interface AddressedVault {
  scheme: string;
  origin: string;
  vault: HostedVault;
}

/** One request's bookkeeping: its reply headers, its clock, and how it ends (a reply or an error). */
class Exchange {
  readonly started: number;
  readonly headers: Record<string, string>;
  readonly #queryAt: number;
  vaultName: string;

  constructor(
    readonly request: VaultRequest,
    vaultName: string,
    private readonly accessLog: ((line: string) => void) | undefined,
    private readonly errorLog: ((line: string) => void) | undefined,
  ) {
    // Only the access log reads the clock.
    this.started = accessLog ? performance.now() : 0;
    this.vaultName = vaultName;
    this.headers = { "x-ms-request-id": randomUUID() };
    const clientRequestId = request.header("x-ms-client-request-id");
    if (clientRequestId !== undefined && CLIENT_REQUEST_ID.test(clientRequestId)) this.headers["x-ms-client-request-id"] = clientRequestId;
    this.#queryAt = request.target.indexOf("?");
  }

  /** The target's path, cut when asked for: a remembered target (targetOf) needs no copy of it. */
  get path(): string {
    return pathOf(this.request.target);
  }

  get query(): string {
    return this.#queryAt === -1 ? "" : this.request.target.slice(this.#queryAt + 1);
  }

  finish(result: RouteResult): VaultResponse {
    if (result.status === 204) return this.log({ status: 204, headers: this.headers, body: null });
    this.headers["content-type"] = JSON_TYPE;
    return this.log({ status: result.status, headers: this.headers, body: result.text ?? JSON.stringify(result.body) });
  }

  fail(error: unknown): VaultResponse {
    const httpError = toHttpError(error);
    if (httpError.status >= 500 && !(error instanceof KeyVaultHttpError)) {
      this.errorLog?.(`error ${this.vaultName} ${this.request.method} ${this.path}: ${describe(error)}`);
    }
    Object.assign(this.headers, httpError.headers);
    this.headers["content-type"] = JSON_TYPE;
    return this.log({ status: httpError.status, headers: this.headers, body: httpError.body() });
  }

  private log(response: VaultResponse): VaultResponse {
    this.accessLog?.(
      formatAccessLine({ vault: this.vaultName, method: this.request.method, path: this.path, status: response.status, ms: performance.now() - this.started }),
    );
    return response;
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

/**
 * Path segments after the leading slash, percent-decoded one by one: `%2F` inside a name stays
 * inside it (and fails the name check) instead of becoming a separator. Dot segments are not
 * resolved: `..` is simply not a valid name.
 */
export function pathSegments(path: string): string[] {
  let pathname = path;
  if (!pathname.startsWith("/")) {
    // Absolute-form targets (`GET https://host/secrets HTTP/1.1`), or `*`.
    try {
      pathname = new URL(pathname).pathname;
    } catch {
      return [];
    }
  }
  return pathname
    .slice(1)
    .split("/")
    .map((segment) => {
      if (!segment.includes("%")) return segment;
      try {
        return decodeURIComponent(segment);
      } catch {
        throw badParameter("The request URI is not valid percent-encoding.");
      }
    });
}

/** For the server's own log: what went wrong, without a stack's worth of lines. */
function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 500);
  return "non-Error thrown";
}
