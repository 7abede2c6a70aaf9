import { timingSafeEqual } from "node:crypto";
import { isOrbitraError } from "../core/errors.js";
import { logReply } from "./access-log.js";
import type { Authorizer } from "./auth.js";
import { bearerToken, forbidden } from "./auth.js";
import { readJsonBody } from "./body.js";
import { badParameter, KeyVaultHttpError, methodNotAllowed, shorten, toHttpError } from "./errors.js";
import { clearFaults, type FaultOptions } from "./faults.js";
import type { VaultRequest, VaultResponse } from "./handler.js";
import type { MovableClock } from "./movable-clock.js";
import { seedVault, type SeedSpec } from "./seed.js";
import type { HostedVault } from "./vault-host.js";

/**
 * The testing kit's switches over HTTP, for tests in any language and for `orbitra vault time`.
 * Under `/_orbitra/`: Key Vault paths start with a collection name (`/secrets`, `/keys`, ...) and
 * no collection starts with `_`, so these can never shadow a Key Vault route.
 */
export const ADMIN_PREFIX = "/_orbitra/";
/** The header carrying the per-start admin token. */
export const ADMIN_TOKEN_HEADER = "x-orbitra-admin-token";
/** In strict mode the caller must also hold this data action: only Key Vault Administrator's `*` grants it. */
export const ADMIN_ACTION = "Microsoft.KeyVault/vaults/orbitra/administer/action";

export interface AdminOptions {
  /** Random per start; compared in constant time. */
  token: string;
  clock: MovableClock;
  /** The live fault switches the vault handlers read. */
  faults: FaultOptions;
  vaults: ReadonlyMap<string, HostedVault>;
  /** Strict mode's authorizer: the caller must be an administrator as well. */
  authorize?: Authorizer;
  accessLog?: (line: string) => void;
}

/** Fault fields a client may set, with their ranges; anything else is refused by name. */
const FAULT_FIELDS: Readonly<Record<string, readonly [number, number]>> = {
  latencyMs: [0, 60_000],
  throttleRate: [0, 1],
  throttleFirst: [0, 1_000_000],
  throttleStatus: [429, 503],
  retryAfterSeconds: [0, 3600],
  failNext: [0, 1_000_000],
  failStatus: [400, 599],
};

/** Answers `/_orbitra/...` requests; returns undefined for every other path, which goes on to the vault. */
export function createAdminRoute(options: AdminOptions): (request: VaultRequest) => VaultResponse | Promise<VaultResponse> | undefined {
  const expected = Buffer.from(options.token);
  return (request) => {
    if (!request.target.startsWith(ADMIN_PREFIX)) return undefined;
    const started = performance.now();
    return logReply(options.accessLog, "admin", request, started, answer(request).catch(reply));
  };

  async function answer(request: VaultRequest): Promise<VaultResponse> {
    const url = new URL(request.target, "https://admin.invalid");
    const given = Buffer.from(request.header(ADMIN_TOKEN_HEADER) ?? "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw forbidden(`The ${ADMIN_TOKEN_HEADER} header is missing or wrong: it is printed by the server at start (and in <data>/admin.json).`, "AdminTokenRequired");
    }
    const vaultName = url.searchParams.get("vault")?.toLowerCase();
    const targets = vaultName === undefined ? [...options.vaults.values()] : [options.vaults.get(vaultName)];
    if (targets.some((v) => v === undefined)) throw new KeyVaultHttpError(404, "VaultNotFound", `No vault named '${shorten(vaultName!, 40)}' is served here.`);
    if (options.authorize) {
      const decision = await options.authorize({
        token: bearerToken(request.header("authorization")),
        method: request.method,
        path: url.pathname,
        vault: targets[0]!.name,
        action: ADMIN_ACTION,
        header: (name) => request.header(name),
      });
      if (decision instanceof KeyVaultHttpError) throw decision;
    }
    const route = `${request.method} ${url.pathname.slice(ADMIN_PREFIX.length).replace(/\/$/, "")}`;
    if (vaultName !== undefined && /^(GET|POST|DELETE) (time|faults)$/.test(route)) {
      throw badParameter("The clock and the faults are the whole server's: leave out ?vault= (it picks the vault for seed and reset).");
    }
    const body = () => readJsonBody(request.body, 4 * 1024 * 1024) as Promise<Record<string, unknown>>;
    switch (route) {
      case "GET time":
        return json(200, time());
      case "POST time": {
        const change = await body();
        if (change.set !== undefined) options.clock.set(change.set as string);
        if (change.advance !== undefined) options.clock.advance(change.advance as string);
        if (change.reset === true) options.clock.reset();
        return json(200, time());
      }
      case "GET faults":
        return json(200, faultState());
      case "POST faults":
        setFaults(await body());
        return json(200, faultState());
      case "DELETE faults":
        clearFaults(options.faults);
        return json(200, faultState());
      case "POST seed": {
        const spec = (await body()) as SeedSpec;
        const seeded = targets.map((vault) => ({ vault: vault!.name, secrets: seedVault(vault!.store, spec) }));
        return json(200, { seeded });
      }
      case "POST reset":
        for (const vault of targets) vault!.store.deleteEverything();
        return { status: 204, headers: {}, body: null };
      default: {
        const known = ["time", "faults", "seed", "reset"];
        if (known.includes(route.split(" ")[1]!)) throw methodNotAllowed(request.method, route.endsWith("time") || route.endsWith("faults") ? ["GET", "POST"] : ["POST"]);
        throw new KeyVaultHttpError(404, "NotFound", `No admin route ${shorten(url.pathname, 60)}: use ${known.map((k) => ADMIN_PREFIX + k).join(", ")}.`);
      }
    }
  }

  function time() {
    const now = options.clock.now();
    return { now: new Date(now).toISOString(), offsetMs: now - Date.now() };
  }

  function faultState() {
    const state: Record<string, number> = {};
    for (const key of Object.keys(FAULT_FIELDS)) {
      const value = options.faults[key as keyof FaultOptions];
      if (typeof value === "number") state[key] = value;
    }
    return state;
  }

  /** All fields are checked before any is set: a refused request changes nothing. */
  function setFaults(change: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(change)) {
      const range = FAULT_FIELDS[key];
      if (!range) throw badParameter(`Unknown fault '${shorten(key, 30)}': use ${Object.keys(FAULT_FIELDS).join(", ")}.`);
      if (typeof value !== "number" || value < range[0] || value > range[1]) throw badParameter(`${key} must be a number from ${range[0]} to ${range[1]}.`);
      if (key === "throttleStatus" && value !== 429 && value !== 503) throw badParameter("throttleStatus must be 429 or 503.");
    }
    Object.assign(options.faults, change);
  }
}

function json(status: number, body: unknown): VaultResponse {
  return { status, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(body) };
}

/** A refused admin request in Key Vault's envelope; a bad duration or date is the caller's mistake (400). */
function reply(error: unknown): VaultResponse {
  const httpError = isOrbitraError(error) && error.code === "Configuration" ? badParameter(error.message) : toHttpError(error);
  return { status: httpError.status, headers: { ...httpError.headers, "content-type": "application/json; charset=utf-8" }, body: httpError.body() };
}
