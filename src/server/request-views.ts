// The two views of a request that the handler hands on, one object each per request (no closures
// beside them): what the authorizer sees, and what the operation runs with.
import type { LocalVault } from "../store/local-vault.js";
import type { AuthRequest } from "./auth.js";
import { readJsonBody, type BodySource } from "./body.js";
import type { VaultRequest } from "./handler.js";
import type { ReadonlyQuery } from "./request-memo.js";
import type { MatchedRoute, RouteContext } from "./routes/route.js";
import type { HostedVault } from "./vault-host.js";

/** A request target's path: what comes before the query. */
export function pathOf(target: string): string {
  const queryAt = target.indexOf("?");
  return queryAt === -1 ? target : target.slice(0, queryAt);
}

/** What the authorizer sees (auth.ts): one object, its header() reading the request's. */
export class AuthView implements AuthRequest {
  readonly method: string;

  constructor(
    readonly token: string,
    private readonly request: VaultRequest,
    readonly vault: string,
    readonly action: string,
  ) {
    this.method = request.method;
  }

  /** Cut from the target when asked for: open mode never asks. */
  get path(): string {
    return pathOf(this.request.target);
  }

  header(name: string): string | undefined {
    return this.request.header(name);
  }
}

/** An operation's {@link RouteContext}. The body is read once: a retry after a locked vault runs the operation again on the same body. */
export class OperationContext implements RouteContext {
  #body: Promise<Record<string, unknown>> | undefined;

  constructor(
    readonly vault: HostedVault,
    readonly route: MatchedRoute,
    readonly query: ReadonlyQuery,
    readonly origin: string,
    readonly apiVersion: string,
    private readonly source: BodySource,
    private readonly bodyLimit: number,
  ) {}

  get store(): LocalVault {
    return this.vault.store;
  }

  get name(): string {
    return this.route.name;
  }

  get version(): string | undefined {
    return this.route.version;
  }

  json(): Promise<Record<string, unknown>> {
    return (this.#body ??= readJsonBody(this.source, this.bodyLimit));
  }
}
