import type { KeyRotationLifetimeAction, KeyRotationPolicy } from "../../core/key-types.js";
import { badParameter } from "../../crypto/errors.js";

/**
 * Key rotation policies (docs/keyvault-wire.md §9.1): lifetime actions with one trigger each and
 * the expiry given to rotated versions, as ISO-8601 durations (`P90D`, `P3M`, `PT48H`, `P1Y10D`).
 * Stored as JSON on the key's row; the next Rotate time is kept beside it (`rotate_due`).
 */

/** As the table keeps it: the policy's own fields, and its dates in Unix seconds. */
export interface StoredPolicy {
  lifetimeActions: KeyRotationLifetimeAction[];
  expiresIn?: string;
  created: number;
  updated: number;
}

interface IsoDuration {
  years: number;
  months: number;
  /** Weeks, days, hours, minutes and seconds, which have fixed lengths. */
  seconds: number;
}

const DAY = 86_400;
const ISO_DURATION = /^P(?!$)(?:(\d{1,4})Y)?(?:(\d{1,5})M)?(?:(\d{1,5})W)?(?:(\d{1,6})D)?(?:T(?=\d)(?:(\d{1,7})H)?(?:(\d{1,9})M)?(?:(\d{1,10})S)?)?$/;
/** Key Vault's floor for `expiryTime` (the SDKs' docs: "at least 28 days"). */
const MIN_EXPIRY_DAYS = 28;
/** Key Vault's floor for a trigger: rotation at least 7 days after creation or before expiry (UNCONFIRMED for Notify). */
const MIN_TRIGGER_DAYS = 7;
/** What a key that never had a policy set answers (Key Vault's default: notify 30 days before expiry). */
const DEFAULT_ACTIONS: readonly KeyRotationLifetimeAction[] = [{ action: "Notify", timeBeforeExpiry: "P30D" }];

function parseIsoDuration(text: unknown, what: string): IsoDuration {
  const match = typeof text === "string" ? ISO_DURATION.exec(text) : null;
  if (!match) throw badParameter(`'${what}' must be an ISO 8601 duration such as P90D, P3M, PT48H or P1Y10D.`);
  const n = (i: number) => Number(match[i] ?? 0);
  return { years: n(1), months: n(2), seconds: ((n(3) * 7 + n(4)) * 24 + n(5)) * 3600 + n(6) * 60 + n(7) };
}

/** For the floors only: a year as 365 days, a month as 30. */
function nominalDays(d: IsoDuration): number {
  return d.years * 365 + d.months * 30 + d.seconds / DAY;
}

/** `from` (Unix seconds) moved by `d`, `sign` times: years and months on the calendar, the rest in seconds. */
export function addDuration(from: number, text: string, sign: 1 | -1 = 1): number {
  const d = parseIsoDuration(text, "duration");
  const date = new Date(from * 1000);
  if (d.years !== 0 || d.months !== 0) date.setUTCMonth(date.getUTCMonth() + sign * (d.years * 12 + d.months));
  return Math.floor(date.getTime() / 1000) + sign * d.seconds;
}

/** Checks a policy as set by a caller and gives its stored fields (dates are the caller's). */
export function checkPolicy(policy: unknown): Pick<StoredPolicy, "lifetimeActions" | "expiresIn"> {
  const p = policy as Partial<KeyRotationPolicy> | null;
  if (typeof p !== "object" || p === null) throw badParameter("A rotation policy must be an object with 'lifetimeActions'.");
  const actions = p.lifetimeActions ?? [];
  if (!Array.isArray(actions) || actions.length > 2) throw badParameter("'lifetimeActions' must be an array of at most one Rotate and one Notify action.");
  let expiryDays: number | undefined;
  if (p.expiresIn !== undefined && p.expiresIn !== null) {
    expiryDays = nominalDays(parseIsoDuration(p.expiresIn, "expiryTime"));
    if (expiryDays < MIN_EXPIRY_DAYS) throw badParameter(`'expiryTime' must be at least ${MIN_EXPIRY_DAYS} days (P28D).`);
  }
  const seen = new Set<string>();
  const checked = (actions as unknown[]).map((a) => checkAction(a, expiryDays));
  for (const a of checked) {
    if (seen.has(a.action)) throw badParameter(`A rotation policy takes at most one ${a.action} action.`);
    seen.add(a.action);
  }
  // An empty list restores Key Vault's default, as the SDKs document.
  const lifetimeActions = checked.length === 0 ? DEFAULT_ACTIONS.map((a) => ({ ...a })) : checked;
  return typeof p.expiresIn === "string" ? { lifetimeActions, expiresIn: p.expiresIn } : { lifetimeActions };
}

function checkAction(value: unknown, expiryDays: number | undefined): KeyRotationLifetimeAction {
  const a = value as Partial<KeyRotationLifetimeAction> | null;
  if (typeof a !== "object" || a === null) throw badParameter("A lifetime action must be an object with a trigger and an action.");
  // The SDK reads the type case-insensitively (docs/keyvault-wire.md §9.1).
  const type = typeof a.action === "string" ? a.action.toLowerCase() : "";
  if (type !== "rotate" && type !== "notify") throw badParameter("A lifetime action's type must be Rotate or Notify.");
  const action = type === "rotate" ? "Rotate" : "Notify";
  const after = a.timeAfterCreate;
  const before = a.timeBeforeExpiry;
  if ((after === undefined) === (before === undefined)) {
    throw badParameter(`The ${action} action needs exactly one trigger: timeAfterCreate or timeBeforeExpiry.`);
  }
  const what = after !== undefined ? "timeAfterCreate" : "timeBeforeExpiry";
  const days = nominalDays(parseIsoDuration(after ?? before, what));
  if (days < MIN_TRIGGER_DAYS) throw badParameter(`'${what}' must be at least ${MIN_TRIGGER_DAYS} days (P7D).`);
  // A rotated version expires after expiryTime; a trigger at or past that would rotate it at once, forever.
  if (before !== undefined && expiryDays !== undefined && days >= expiryDays) {
    throw badParameter("'timeBeforeExpiry' must be shorter than the policy's 'expiryTime'.");
  }
  return after !== undefined ? { action, timeAfterCreate: after as string } : { action, timeBeforeExpiry: before as string };
}

/** The policy as the library models it; a key with none set gets Key Vault's default and no dates. */
export function toRotationPolicy(stored: StoredPolicy | null): KeyRotationPolicy {
  if (stored === null) return { lifetimeActions: DEFAULT_ACTIONS.map((a) => ({ ...a })) };
  const policy: KeyRotationPolicy = {
    lifetimeActions: stored.lifetimeActions.map((a) => ({ ...a })),
    createdOn: new Date(stored.created * 1000),
    updatedOn: new Date(stored.updated * 1000),
  };
  if (stored.expiresIn !== undefined) policy.expiresIn = stored.expiresIn;
  return policy;
}

export function parseStoredPolicy(text: string | null): StoredPolicy | null {
  return text === null ? null : (JSON.parse(text) as StoredPolicy);
}

/** When the Rotate action falls due for a latest version made at `created` (expiring at `exp`); null: never. */
export function rotationDue(policy: StoredPolicy | null, latest: { created: number; exp: number | null }): number | null {
  const rotate = policy?.lifetimeActions.find((a) => a.action === "Rotate");
  if (!rotate) return null;
  if (rotate.timeAfterCreate !== undefined) return addDuration(latest.created, rotate.timeAfterCreate);
  if (rotate.timeBeforeExpiry !== undefined && latest.exp !== null) return addDuration(latest.exp, rotate.timeBeforeExpiry, -1);
  return null;
}

/** The expiry of a version rotated at `now`: the policy's expiryTime from then, or none. */
export function rotatedExpiry(policy: StoredPolicy | null, now: number): number | null {
  return policy?.expiresIn === undefined ? null : addDuration(now, policy.expiresIn);
}
