import type { RecoveryLevel } from "../core/types.js";

/** Milliseconds since the epoch. Injected so tests move time without sleeping. */
export type Clock = () => number;

/**
 * One version of a secret as the store keeps it, without its value. Times are Unix seconds,
 * as on Key Vault's wire; the layers above turn them into `Date`s or JSON.
 */
export interface StoredSecret {
  /** The name with the casing of its first write (lookups ignore case). */
  name: string;
  version: string;
  enabled: boolean;
  notBefore?: number;
  expiresOn?: number;
  created: number;
  updated: number;
  contentType?: string;
  tags: Record<string, string>;
  recoveryLevel: RecoveryLevel;
  recoverableDays: number;
  /** A certificate's secret: written, deleted and recovered with its certificate. */
  managed?: boolean;
}

export interface StoredDeletedSecret extends StoredSecret {
  deletedDate: number;
  scheduledPurgeDate: number;
}

/** A page of a listing: `next` is an opaque cursor for the following page, absent on the last. */
export interface Page<T> {
  items: T[];
  next?: string;
}

export interface PageRequest {
  /** Cursor from a previous page's `next`. */
  after?: string;
  /** At most this many items (default: all). */
  limit?: number;
}
