import { newClientSecret } from "./client-secret.js";
import { randomBytes, randomUUID, scrypt, scryptSync, timingSafeEqual } from "node:crypto";
import { chmodSync } from "node:fs";
import { join } from "node:path";
import { ConfigurationError } from "../../core/errors.js";
import { openSqlite, type DatabaseSync } from "../../store/sqlite.js";
import { DEVICE_CODE_SCHEMA, DeviceCodes } from "./device-codes.js";
import { findRole, type BuiltInRole } from "./roles.js";

export type PrincipalKind = "service-principal" | "user";

export interface StoredPrincipal {
  /** The client id (service principals) and object id: one GUID for both, as tokens carry it. */
  id: string;
  name: string;
  kind: PrincipalKind;
  createdAt: string;
}

export interface RoleAssignment {
  id: string;
  principalId: string;
  roleName: string;
  roleId: string;
  /** `/` (every vault of this server) or `/vaults/<name>`. */
  scope: string;
  createdAt: string;
}

export const IDENTITY_FILE = "identity.db";

/**
 * How long a rotated-out refresh token still works: two processes of one login (MSAL's file cache
 * is shared, the last write wins) may both redeem the same token when the access token expires.
 * The grace period of Okta's and Auth0's rotation, so a race costs nothing while a stolen old
 * token is refused.
 */
export const REFRESH_REUSE_SECONDS = 60;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS principals (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('service-principal','user')),
  secret_salt BLOB,
  secret_hash BLOB,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS spent_refresh_tokens (
  token_id TEXT PRIMARY KEY,
  spent_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS role_assignments (
  id TEXT PRIMARY KEY,
  principal_id TEXT NOT NULL REFERENCES principals(id) ON DELETE CASCADE,
  role_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (principal_id, role_id, scope)
);
`;

/** scrypt, because a client secret is a password the server must check but never keep. */
const SCRYPT = { N: 16384, r: 8, p: 1 } as const;
const HASH_BYTES = 32;

function hashSecret(secret: string, salt: Buffer): Buffer {
  return scryptSync(secret, salt, HASH_BYTES, SCRYPT);
}

/** The same hash on libuv's thread pool: a sign-in costs the event loop nothing while it runs. */
export function hashSecretOffLoop(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(secret, salt, HASH_BYTES, SCRYPT, (error, hash) => (error ? reject(error) : resolve(hash))));
}

/**
 * What an unknown client id is checked against: a hash that no secret matches (its salt is
 * random, its hash is zeros), computed all the same, so an unknown id costs what a wrong secret
 * does and the timing tells nobody which ids exist.
 */
const DUMMY = { salt: randomBytes(16), hash: Buffer.alloc(HASH_BYTES) };

export interface IdentityStoreOptions {
  /** The hash the server checks secrets with; tests wrap the real one to count its calls. */
  hash?: (secret: string, salt: Buffer) => Promise<Buffer>;
}

/**
 * Principals and role assignments of one server: `<data>/identity.db`, 0600. Secrets are stored
 * only as salted scrypt hashes; a generated secret is returned once, by {@link addPrincipal}.
 */
export class IdentityStore {
  /** Pending device-code sign-ins (the device-code grant of `orbitra login`). */
  readonly deviceCodes: DeviceCodes;

  #open = true;

  private constructor(
    private readonly db: DatabaseSync,
    private readonly hash: (secret: string, salt: Buffer) => Promise<Buffer>,
  ) {
    this.deviceCodes = new DeviceCodes(db);
  }

  static open(dataDir: string, options: IdentityStoreOptions = {}): IdentityStore {
    const path = join(dataDir, IDENTITY_FILE);
    let db: DatabaseSync;
    try {
      db = openSqlite(path, 5000);
      chmodSync(path, 0o600);
    } catch (error) {
      throw new ConfigurationError(`Cannot open the identity store ${path}: ${(error as Error).message}.`, { cause: error });
    }
    db.exec("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON");
    db.exec(SCHEMA + DEVICE_CODE_SCHEMA);
    DeviceCodes.migrate(db);
    return new IdentityStore(db, options.hash ?? hashSecretOffLoop);
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.db.close();
  }

  /** Adds a principal; a service principal gets a generated secret, returned here and never again. */
  addPrincipal(name: string, kind: PrincipalKind, now = new Date()): { principal: StoredPrincipal; secret?: string } {
    const clean = name.trim();
    if (!/^[\w .@-]{1,128}$/.test(clean)) {
      throw new ConfigurationError("A principal name is 1-128 letters, digits, spaces, dots, @, _ or -.");
    }
    const id = randomUUID();
    const createdAt = now.toISOString();
    let secret: string | undefined;
    let salt: Buffer | null = null;
    let hash: Buffer | null = null;
    if (kind === "service-principal") {
      secret = newClientSecret();
      salt = randomBytes(16);
      hash = hashSecret(secret, salt);
    }
    this.db
      .prepare("INSERT INTO principals (id, name, kind, secret_salt, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(id, clean, kind, salt, hash, createdAt);
    return { principal: { id, name: clean, kind, createdAt }, ...(secret ? { secret } : {}) };
  }

  listPrincipals(): StoredPrincipal[] {
    const rows = this.db.prepare("SELECT id, name, kind, created_at FROM principals ORDER BY created_at, id").all() as {
      id: string;
      name: string;
      kind: PrincipalKind;
      created_at: string;
    }[];
    return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, createdAt: r.created_at }));
  }

  getPrincipal(id: string): StoredPrincipal | undefined {
    return this.listPrincipals().find((p) => p.id === id.toLowerCase());
  }

  /** A principal by id or (unique) name. */
  resolvePrincipal(idOrName: string): StoredPrincipal {
    const all = this.listPrincipals();
    const byId = all.find((p) => p.id === idOrName.toLowerCase());
    if (byId) return byId;
    const byName = all.filter((p) => p.name === idOrName);
    if (byName.length === 1) return byName[0]!;
    if (byName.length > 1) throw new ConfigurationError(`Several principals are named '${idOrName}': use the id.`);
    throw new ConfigurationError(`No principal '${idOrName.slice(0, 128)}'. See 'orbitra vault principal list'.`);
  }

  removePrincipal(idOrName: string): StoredPrincipal {
    const principal = this.resolvePrincipal(idOrName);
    this.db.prepare("DELETE FROM principals WHERE id = ?").run(principal.id);
    return principal;
  }

  /**
   * The service principal whose secret this is; undefined otherwise. Off the event loop, and as
   * slow for an unknown id as for a wrong secret (see {@link DUMMY}).
   */
  async checkClientSecret(clientId: string, secret: string): Promise<StoredPrincipal | undefined> {
    const row = this.db
      .prepare("SELECT id, name, kind, secret_salt, secret_hash, created_at FROM principals WHERE id = ? AND kind = 'service-principal'")
      .get(clientId.toLowerCase()) as { id: string; name: string; kind: PrincipalKind; secret_salt: Buffer; secret_hash: Buffer; created_at: string } | undefined;
    const expected = row ? { salt: row.secret_salt, hash: row.secret_hash } : DUMMY;
    const candidate = await this.hash(secret, expected.salt);
    if (!row || !timingSafeEqual(candidate, expected.hash)) return undefined;
    return { id: row.id, name: row.name, kind: row.kind, createdAt: row.created_at };
  }

  /**
   * Marks a refresh token used: each redemption rotates it, and a rotated-out token must not work
   * again (a copy taken from a backup or another machine would otherwise live 90 days). False when
   * it was spent more than {@link REFRESH_REUSE_SECONDS} ago, or revoked. Rows go once the token
   * would have expired anyway.
   */
  spendRefreshToken(tokenId: string, expiresAt: number, nowSeconds: number): boolean {
    this.db.prepare("DELETE FROM spent_refresh_tokens WHERE expires_at < ?").run(nowSeconds);
    const spent = this.db.prepare("SELECT spent_at FROM spent_refresh_tokens WHERE token_id = ?").get(tokenId) as { spent_at: number } | undefined;
    if (spent) return nowSeconds - spent.spent_at <= REFRESH_REUSE_SECONDS;
    this.db.prepare("INSERT INTO spent_refresh_tokens (token_id, spent_at, expires_at) VALUES (?, ?, ?)").run(tokenId, nowSeconds, expiresAt);
    return true;
  }

  /** Refuses a refresh token from now on, used or not (`orbitra logout`, RFC 7009 revocation). */
  revokeRefreshToken(tokenId: string, expiresAt: number): void {
    // spent_at 0: long past any reuse interval.
    this.db.prepare("INSERT INTO spent_refresh_tokens (token_id, spent_at, expires_at) VALUES (?, 0, ?) ON CONFLICT(token_id) DO UPDATE SET spent_at = 0").run(tokenId, expiresAt);
  }

  /** A user principal by id or name, for approving sign-ins: a service principal signs in with its secret, never as a user. */
  resolveUser(idOrName: string): StoredPrincipal {
    const principal = this.resolvePrincipal(idOrName);
    if (principal.kind !== "user") {
      throw new ConfigurationError(`'${principal.name}' is a ${principal.kind}; sign-ins are approved as a user (orbitra vault principal add NAME --kind user).`);
    }
    return principal;
  }

  assignRole(principalIdOrName: string, roleNameOrId: string, vault: string | undefined, now = new Date()): RoleAssignment {
    const principal = this.resolvePrincipal(principalIdOrName);
    const role = requireRole(roleNameOrId);
    const scope = vault ? `/vaults/${vault.toLowerCase()}` : "/";
    const existing = this.listAssignments().find((a) => a.principalId === principal.id && a.roleId === role.id && a.scope === scope);
    if (existing) return existing;
    const id = randomUUID();
    const createdAt = now.toISOString();
    this.db
      .prepare("INSERT INTO role_assignments (id, principal_id, role_id, scope, created_at) VALUES (?, ?, ?, ?, ?)")
      .run(id, principal.id, role.id, scope, createdAt);
    return { id, principalId: principal.id, roleName: role.name, roleId: role.id, scope, createdAt };
  }

  listAssignments(principalId?: string): RoleAssignment[] {
    const rows = (
      principalId
        ? this.db.prepare("SELECT * FROM role_assignments WHERE principal_id = ? ORDER BY created_at, id").all(principalId.toLowerCase())
        : this.db.prepare("SELECT * FROM role_assignments ORDER BY created_at, id").all()
    ) as { id: string; principal_id: string; role_id: string; scope: string; created_at: string }[];
    return rows.map((r) => ({
      id: r.id,
      principalId: r.principal_id,
      roleId: r.role_id,
      roleName: findRole(r.role_id)?.name ?? r.role_id,
      scope: r.scope,
      createdAt: r.created_at,
    }));
  }

  /** Removes one assignment by its id, or every assignment of a principal and role. Returns how many. */
  removeAssignments(selector: { id?: string; principal?: string; role?: string }): number {
    if (selector.id) return this.db.prepare("DELETE FROM role_assignments WHERE id = ?").run(selector.id.toLowerCase()).changes as number;
    if (!selector.principal) throw new ConfigurationError("Name the assignment id, or the principal (and optionally the role).");
    const principal = this.resolvePrincipal(selector.principal);
    if (selector.role) {
      const role = requireRole(selector.role);
      return this.db.prepare("DELETE FROM role_assignments WHERE principal_id = ? AND role_id = ?").run(principal.id, role.id).changes as number;
    }
    return this.db.prepare("DELETE FROM role_assignments WHERE principal_id = ?").run(principal.id).changes as number;
  }

  /** The roles that apply to a principal on a vault: assignments at `/` and at `/vaults/<vault>`. */
  rolesFor(principalId: string, vault: string): BuiltInRole[] {
    const scopes = new Set(["/", `/vaults/${vault.toLowerCase()}`]);
    return this.listAssignments(principalId)
      .filter((a) => scopes.has(a.scope))
      .map((a) => findRole(a.roleId))
      .filter((r): r is BuiltInRole => r !== undefined);
  }
}

function requireRole(nameOrId: string): BuiltInRole {
  const role = findRole(nameOrId);
  if (!role) throw new ConfigurationError(`Unknown role '${nameOrId.slice(0, 80)}'. Built-in data-plane roles: see 'orbitra vault role list --available'.`);
  return role;
}
