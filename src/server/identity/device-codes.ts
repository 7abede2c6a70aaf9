import { createHash, randomBytes, randomInt } from "node:crypto";
import type { DatabaseSync, SQLInputValue } from "../../store/sqlite.js";
import { ConfigurationError } from "../../core/errors.js";

export const DEVICE_CODE_SCHEMA = `
CREATE TABLE IF NOT EXISTS device_codes (
  device_code_hash TEXT PRIMARY KEY,
  user_code TEXT NOT NULL UNIQUE,
  client_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  approved_principal TEXT REFERENCES principals(id) ON DELETE CASCADE,
  denied INTEGER NOT NULL DEFAULT 0,
  redirect_uri TEXT,
  code_challenge TEXT,
  source TEXT
);
`;

/**
 * Pending sign-ins at most, in all and per source address: the endpoints that start one take no
 * credential, so without a bound anyone could fill identity.db and `orbitra vault device list`.
 * A real sign-in needs one code for a few minutes; an office behind one NAT a few dozen.
 */
export const MAX_PENDING_DEVICE_CODES = 1000;
export const MAX_PENDING_PER_SOURCE = 20;

/** Entra's device codes live 15 minutes. */
export const DEVICE_CODE_LIFETIME_SECONDS = 900;
/** No vowels or look-alikes (0/O, 1/I/L): a code read aloud or retyped is not mistaken, and spells no word. */
const USER_CODE_ALPHABET = "BCDFGHJKMNPQRSTVWXZ23456789";

/** No room for another pending sign-in: retry when the oldest that blocks it expires. */
export interface DeviceCodeLimit {
  limited: true;
  retryAfterSeconds: number;
}

export interface IssuedDeviceCode {
  deviceCode: string;
  userCode: string;
  expiresIn: number;
}

export interface PendingDeviceCode {
  userCode: string;
  clientId: string;
  scope: string;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** A browser sign-in (authorization code + PKCE) waits for approval like a device code; the code is then the authorization code. */
export interface BrowserSignIn {
  redirectUri: string;
  /** base64url(SHA-256(code_verifier)): only the client that started the sign-in can redeem it. */
  codeChallenge: string;
}

export type DeviceCodePoll =
  | { state: "pending" }
  | { state: "expired" }
  | { state: "denied" }
  | { state: "unknown" }
  | { state: "approved"; principalId: string; scope: string };

/** A user code as typed: case, spaces and the dash do not matter. */
export function normalizeUserCode(code: string): string {
  const bare = code.toUpperCase().replace(/[\s-]/g, "");
  return bare.length === 8 ? `${bare.slice(0, 4)}-${bare.slice(4)}` : bare;
}

function hash(deviceCode: string): string {
  return createHash("sha256").update(deviceCode).digest("hex");
}

/**
 * The device-code grant's pending sign-ins (RFC 8628), kept in the server's identity.db so that
 * `orbitra vault device approve` in another process approves what the server handed out. Only a
 * hash of each device code is stored: the code itself is the client's bearer credential until it
 * is redeemed, once.
 */
export class DeviceCodes {
  constructor(private readonly db: DatabaseSync) {}

  /** identity.db files made before the source column. */
  static migrate(db: DatabaseSync): void {
    const columns = db.prepare("SELECT name FROM pragma_table_info('device_codes')").all() as unknown as { name: string }[];
    if (!columns.some((c) => c.name === "source")) db.exec("ALTER TABLE device_codes ADD COLUMN source TEXT");
  }

  /** A new pending sign-in from `source` (the caller's address), unless the bounds above are reached. */
  issue(clientId: string, scope: string, nowSeconds: number, browser?: BrowserSignIn, source?: string): IssuedDeviceCode | DeviceCodeLimit {
    this.db.prepare("DELETE FROM device_codes WHERE expires_at < ?").run(nowSeconds);
    const limit = this.limit(nowSeconds, source);
    if (limit) return limit;
    const deviceCode = randomBytes(32).toString("base64url");
    for (;;) {
      let code = "";
      for (let i = 0; i < 8; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
      const userCode = normalizeUserCode(code);
      const inserted = this.db
        .prepare(
          "INSERT OR IGNORE INTO device_codes (device_code_hash, user_code, client_id, scope, created_at, expires_at, redirect_uri, code_challenge, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .run(
          hash(deviceCode),
          userCode,
          clientId,
          scope,
          nowSeconds,
          nowSeconds + DEVICE_CODE_LIFETIME_SECONDS,
          browser?.redirectUri ?? null,
          browser?.codeChallenge ?? null,
          source ?? null,
        );
      if (inserted.changes === 1) return { deviceCode, userCode, expiresIn: DEVICE_CODE_LIFETIME_SECONDS };
    }
  }

  /** Codes not yet redeemed count, approved or not: an approved one still waits for its poll. */
  private limit(nowSeconds: number, source: string | undefined): DeviceCodeLimit | undefined {
    const count = (where: string, ...args: SQLInputValue[]) =>
      this.db.prepare(`SELECT COUNT(*) AS n, MIN(expires_at) AS first FROM device_codes WHERE ${where}`).get(...args) as unknown as { n: number; first: number | null };
    const checks = [{ max: MAX_PENDING_DEVICE_CODES, found: count("1") }];
    if (source) checks.push({ max: MAX_PENDING_PER_SOURCE, found: count("source = ?", source) });
    const full = checks.find((c) => c.found.n >= c.max);
    if (!full) return undefined;
    return { limited: true, retryAfterSeconds: Math.max(1, (full.found.first ?? nowSeconds) - nowSeconds + 1) };
  }

  listPending(nowSeconds: number): PendingDeviceCode[] {
    const rows = this.db
      .prepare("SELECT user_code, client_id, scope, expires_at FROM device_codes WHERE approved_principal IS NULL AND denied = 0 AND expires_at >= ? ORDER BY created_at")
      .all(nowSeconds) as { user_code: string; client_id: string; scope: string; expires_at: number }[];
    return rows.map((r) => ({ userCode: r.user_code, clientId: r.client_id, scope: r.scope, expiresAt: r.expires_at }));
  }

  /** Approves (as `principalId`) or denies a pending code. */
  decide(userCode: string, decision: { approveAs: string } | { deny: true }, nowSeconds: number): void {
    const code = normalizeUserCode(userCode);
    const row = this.db.prepare("SELECT expires_at, approved_principal, denied FROM device_codes WHERE user_code = ?").get(code) as
      | { expires_at: number; approved_principal: string | null; denied: number }
      | undefined;
    if (!row || row.expires_at < nowSeconds) {
      throw new ConfigurationError(`No pending sign-in with code '${code.slice(0, 16)}' (codes expire after 15 minutes). See 'orbitra vault device list'.`);
    }
    if (row.approved_principal || row.denied) throw new ConfigurationError(`The sign-in with code '${code}' was already ${row.denied ? "denied" : "approved"}.`);
    if ("deny" in decision) this.db.prepare("UPDATE device_codes SET denied = 1 WHERE user_code = ?").run(code);
    else this.db.prepare("UPDATE device_codes SET approved_principal = ? WHERE user_code = ?").run(decision.approveAs, code);
  }

  /**
   * What the client's poll gets. An approved code is deleted as it is redeemed, so a code gives
   * tokens once. `redeemable` sees the browser half of the sign-in (none for a device code) and
   * decides whether this grant may redeem it: a device-code poll must not redeem a browser
   * sign-in's code (that would skip PKCE), nor the reverse. A code of another client is unknown.
   */
  poll(code: string, clientId: string, nowSeconds: number, redeemable: (browser: BrowserSignIn | undefined) => boolean): DeviceCodePoll {
    const found = this.peek(code, nowSeconds);
    if (found.state === "unknown" || found.clientId !== clientId || !redeemable(found.browser)) return { state: "unknown" };
    if (found.state === "approved") this.db.prepare("DELETE FROM device_codes WHERE device_code_hash = ?").run(hash(code));
    const { clientId: _client, browser: _browser, ...poll } = found;
    return poll;
  }

  /** A code's state without redeeming it (the browser page that waits for approval reads it). */
  peek(code: string, nowSeconds: number): (DeviceCodePoll & { clientId: string; browser?: BrowserSignIn }) | { state: "unknown"; clientId?: undefined; browser?: undefined } {
    const row = this.db
      .prepare("SELECT client_id, scope, expires_at, approved_principal, denied, redirect_uri, code_challenge FROM device_codes WHERE device_code_hash = ?")
      .get(hash(code)) as
      | { client_id: string; scope: string; expires_at: number; approved_principal: string | null; denied: number; redirect_uri: string | null; code_challenge: string | null }
      | undefined;
    if (!row) return { state: "unknown" };
    const base = { clientId: row.client_id, ...(row.redirect_uri && row.code_challenge ? { browser: { redirectUri: row.redirect_uri, codeChallenge: row.code_challenge } } : {}) };
    if (row.expires_at < nowSeconds) return { state: "expired", ...base };
    if (row.denied) return { state: "denied", ...base };
    if (!row.approved_principal) return { state: "pending", ...base };
    return { state: "approved", principalId: row.approved_principal, scope: row.scope, ...base };
  }
}
