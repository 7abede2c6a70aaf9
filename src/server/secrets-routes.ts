import { assertValidName } from "../core/rules.js";
import type { LocalVault } from "../store/local-vault.js";
import { parseRestore, parseSetSecret, parseUpdate, readJsonBody } from "./body.js";
import { badParameter, KeyVaultHttpError } from "./http-error.js";
import { deletedSecretBundle, deletedSecretItem, listResult, secretBundle, secretItem } from "./wire.js";

/** What a route needs about the request, already checked (auth, api-version). */
export interface RouteRequest {
  method: string;
  segments: string[];
  query: URLSearchParams;
  vaultUrl: string;
  apiVersion: string;
  raw: Request;
  bodyLimit: number;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
}

/** The data action each operation needs (fact sheet §12), for the authorizer and RBAC. */
export type SecretAction =
  | "getSecret/action"
  | "readMetadata/action"
  | "setSecret/action"
  | "update/action"
  | "delete"
  | "backup/action"
  | "restore/action"
  | "recover/action"
  | "purge/action";

export interface Route {
  action: SecretAction;
  run(vault: LocalVault, request: RouteRequest): Promise<RouteResponse>;
}

const ok = (body: unknown): RouteResponse => ({ status: 200, body });
const HEX32 = /^[0-9a-fA-F]{32}$/;

/**
 * Finds the operation for a method and path. Names compare case-insensitively (the store does
 * that); "latest" reads may carry a trailing slash, as the SDK sends them (fact sheet §2).
 */
export function matchSecretsRoute(method: string, segments: string[]): Route {
  const [collection, name, third, ...rest] = segments.map((s, i) => (i === 0 ? s.toLowerCase() : s));
  if (rest.length > 0) throw notFound();
  if (collection === "secrets") {
    if (name === undefined) return only(method, "GET", listSecrets);
    if (name === "restore" && third === undefined && method === "POST") return restore;
    checkName(name);
    if (third === undefined) {
      if (method === "PUT") return setSecret;
      if (method === "DELETE") return deleteSecret;
      return only(method, ["GET", "PATCH"], method === "PATCH" ? updateSecret : getSecret);
    }
    if (third === "") return only(method, ["GET", "PATCH"], method === "PATCH" ? updateSecret : getSecret);
    if (third.toLowerCase() === "versions") return only(method, "GET", listVersions);
    if (third.toLowerCase() === "backup") return only(method, "POST", backup);
    if (!HEX32.test(third)) throw badParameter(`The request URI contains an invalid version: ${third.slice(0, 64)}`);
    return only(method, ["GET", "PATCH"], method === "PATCH" ? updateSecret : getSecret);
  }
  if (collection === "deletedsecrets") {
    if (name === undefined) return only(method, "GET", listDeleted);
    checkName(name);
    if (third === undefined || third === "") return only(method, ["GET", "DELETE"], method === "DELETE" ? purge : getDeleted);
    if (third.toLowerCase() === "recover") return only(method, "POST", recover);
  }
  throw notFound();
}

function checkName(name: string): void {
  try {
    assertValidName(name);
  } catch {
    throw badParameter(`The request URI contains an invalid name: ${name.slice(0, 130)}`);
  }
}

function only(method: string, allowed: string | string[], route: Route): Route {
  const list = Array.isArray(allowed) ? allowed : [allowed];
  if (!list.includes(method)) {
    throw new KeyVaultHttpError(405, "MethodNotAllowed", `The method ${method.slice(0, 16)} is not allowed on this resource.`, {
      headers: { Allow: list.join(", ") },
    });
  }
  return route;
}

export function notFound(): KeyVaultHttpError {
  return new KeyVaultHttpError(404, "NotFound", "No such resource. orbitra vault serve implements Key Vault's secrets API (/secrets, /deletedsecrets).");
}

function maxResults(query: URLSearchParams): number {
  const raw = query.get("maxresults");
  if (raw === null || raw === "") return 25;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 25) {
    throw badParameter(`maxresults must be a whole number from 1 to 25, not '${raw.slice(0, 20)}'.`);
  }
  return n;
}

function page(request: RouteRequest): { limit: number; after?: string } {
  const limit = maxResults(request.query);
  const after = request.query.get("$skiptoken");
  return after ? { limit, after } : { limit };
}

const link = (request: RouteRequest, path: string, limit: number) => ({
  vaultUrl: request.vaultUrl,
  path,
  apiVersion: request.apiVersion,
  maxResults: limit,
});

const nameOf = (r: RouteRequest): string => r.segments[1]!;
const versionOf = (r: RouteRequest): string | undefined => (r.segments[2] ? r.segments[2] : undefined);

const listSecrets: Route = {
  action: "readMetadata/action",
  async run(vault, r) {
    const p = page(r);
    const result = vault.listSecrets(p);
    return ok(listResult(result.items.map((s) => secretItem(r.vaultUrl, s, false)), result.next, link(r, "/secrets", p.limit)));
  },
};

const listVersions: Route = {
  action: "readMetadata/action",
  async run(vault, r) {
    const p = page(r);
    const result = vault.listSecretVersions(nameOf(r), p);
    const path = `/secrets/${encodeURIComponent(nameOf(r))}/versions`;
    return ok(listResult(result.items.map((s) => secretItem(r.vaultUrl, s, true)), result.next, link(r, path, p.limit)));
  },
};

const listDeleted: Route = {
  action: "readMetadata/action",
  async run(vault, r) {
    const p = page(r);
    const result = vault.listDeletedSecrets(p);
    return ok(listResult(result.items.map((s) => deletedSecretItem(r.vaultUrl, s)), result.next, link(r, "/deletedsecrets", p.limit)));
  },
};

const setSecret: Route = {
  action: "setSecret/action",
  async run(vault, r) {
    const { value, options } = parseSetSecret(await readJsonBody(r.raw, r.bodyLimit));
    const stored = vault.setSecret(nameOf(r), value, options);
    return ok(secretBundle(r.vaultUrl, stored, value));
  },
};

const getSecret: Route = {
  action: "getSecret/action",
  async run(vault, r) {
    const { secret, value } = vault.getSecret(nameOf(r), versionOf(r));
    return ok(secretBundle(r.vaultUrl, secret, value.reveal()));
  },
};

const updateSecret: Route = {
  action: "update/action",
  async run(vault, r) {
    const update = parseUpdate(await readJsonBody(r.raw, r.bodyLimit));
    return ok(secretBundle(r.vaultUrl, vault.updateSecretProperties(nameOf(r), versionOf(r), update)));
  },
};

const deleteSecret: Route = {
  action: "delete",
  async run(vault, r) {
    return ok(deletedSecretBundle(r.vaultUrl, vault.deleteSecret(nameOf(r))));
  },
};

const getDeleted: Route = {
  action: "readMetadata/action",
  async run(vault, r) {
    return ok(deletedSecretBundle(r.vaultUrl, vault.getDeletedSecret(nameOf(r))));
  },
};

const purge: Route = {
  action: "purge/action",
  async run(vault, r) {
    vault.purgeDeletedSecret(nameOf(r));
    return { status: 204 };
  },
};

const recover: Route = {
  action: "recover/action",
  async run(vault, r) {
    return ok(secretBundle(r.vaultUrl, vault.recoverDeletedSecret(nameOf(r))));
  },
};

const backup: Route = {
  action: "backup/action",
  async run(vault, r) {
    return ok({ value: vault.backupSecret(nameOf(r)).toString("base64url") });
  },
};

const restore: Route = {
  action: "restore/action",
  async run(vault, r) {
    const blob = parseRestore(await readJsonBody(r.raw, r.bodyLimit));
    return ok(secretBundle(r.vaultUrl, vault.restoreSecretBackup(blob)));
  },
};
