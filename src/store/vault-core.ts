import { BackgroundCheckpointer } from "./background-checkpoint.js";
import { backupKeys, type BackupKeys } from "./backup-key.js";
import { isVaultLocked, storageError } from "./errors.js";
import { CACHE_KIB, MMAP_BYTES, SCAN_CACHE_KIB } from "./open-database.js";
import type { VaultSettings } from "./options.js";
import { ReadCache, type SecretRead } from "./read-cache.js";
import type { Retention } from "./retention.js";
import { immediate, type DatabaseSync } from "./sqlite.js";
import { Statements } from "./statements.js";
import type { Clock } from "./types.js";
import { ValueSeal } from "./value-seal.js";

/** What each kind's table answers so the vault can purge across kinds. */
export interface Purgeable {
  /** Is anything soft-deleted past its scheduled purge? One seek of a partial index. */
  purgeDue(now: number): boolean;
  purgeExpired(now: number): void;
}

/**
 * The machinery every kind's repository shares, one per opened vault: the statements, the read
 * cache, the clock, transactions with SQLite's failures in words (storageError), purging past
 * retention across every kind, the value seal and the backup keys. Every write is one
 * `BEGIN IMMEDIATE` transaction: concurrent processes queue on the file's write lock instead of
 * failing a read-then-write upgrade, so none loses a write.
 */
export class VaultCore {
  readonly path: string;
  readonly sql: Statements;
  readonly values: ValueSeal;
  /** Seal backup blobs; values use {@link values}. */
  readonly backupKeys: BackupKeys;
  readonly retention: Retention;
  readonly cache: ReadCache | undefined;
  readonly #checkpointer: BackgroundCheckpointer | undefined;
  readonly #db: DatabaseSync;
  readonly #clock: Clock;
  readonly #purgeables: Purgeable[] = [];
  #lastPurgeCheck = Number.NaN;
  #writeDepth = 0;

  constructor(settings: VaultSettings, db: DatabaseSync, key: Buffer) {
    this.path = settings.path;
    this.#db = db;
    this.sql = new Statements(db);
    this.values = new ValueSeal(key, settings.path);
    this.backupKeys = backupKeys(settings.backupKeySource, key);
    this.#clock = settings.clock;
    this.retention = settings.retention;
    this.cache = settings.readCacheEntries > 0 ? new ReadCache(db, settings.path, settings.readCacheEntries) : undefined;
    this.#checkpointer = settings.backgroundCheckpoint ? new BackgroundCheckpointer(db, settings.path) : undefined;
  }

  /** Each kind's table registers once, when the vault opens (local-vault.ts), whether or not its repository is ever made. */
  addPurgeable(table: Purgeable): void {
    this.#purgeables.push(table);
  }

  /** The clock in Unix seconds, as the tables keep dates. */
  now(): number {
    return Math.floor(this.#clock() / 1000);
  }

  /** Inside a write: purges everything past its scheduled date, of every kind; returns now. */
  purgeExpired(): number {
    const now = this.now();
    for (const table of this.#purgeables) table.purgeExpired(now);
    this.#lastPurgeCheck = now;
    return now;
  }

  /**
   * Before a read: at most once per clock second, look for an object past its purge date and purge
   * it. Reads already hide such objects, so when the lock is busy the purge can wait for a write.
   */
  purgeIfDue(): void {
    const now = this.now();
    if (now === this.#lastPurgeCheck) return;
    this.#lastPurgeCheck = now;
    try {
      if (this.read(() => this.#purgeables.some((table) => table.purgeDue(now)))) this.write(() => this.purgeExpired());
    } catch (error) {
      // read() and write() turn SQLite's busy codes into the VaultLocked error.
      if (!isVaultLocked(error)) throw error;
    }
  }

  /** A read cache hit, or undefined (no cache, a miss, or the file changed). As read() but without a closure: this is every cached GET. */
  cached(key: string): SecretRead | undefined {
    if (!this.cache) return undefined;
    try {
      return this.cache.get(key);
    } catch (error) {
      throw storageError(error, this.path);
    }
  }

  read<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw storageError(error, this.path);
    }
  }

  /**
   * A read that walks much of the file (a listing): run with the memory map off. Mapped, every
   * page it passed would stay resident in this process, counted as its memory, until the vault
   * closes: a full listing of 1M secrets grew a process by 400 MB that way. Through SQLite's own
   * cache it holds at most cache_size, shrunk for the scan (SCAN_CACHE_KIB). The map and the full
   * cache come back for the random reads after it; the cache refills as they touch pages.
   */
  scan<T>(fn: () => T): T {
    this.#db.exec(`PRAGMA mmap_size = 0; PRAGMA cache_size = -${SCAN_CACHE_KIB}`);
    try {
      return this.read(fn);
    } finally {
      this.#db.exec(`PRAGMA mmap_size = ${MMAP_BYTES}; PRAGMA cache_size = -${CACHE_KIB}`);
    }
  }

  /**
   * One transaction. A write inside another joins it (a certificate's write makes its key and its
   * secret through their repositories): a throw anywhere rolls back all three, so nothing is
   * left half-made.
   */
  write<T>(fn: () => T): T {
    if (this.#writeDepth > 0) return fn();
    this.#writeDepth++;
    try {
      const result = immediate(this.#db, fn);
      this.#checkpointer?.afterCommit();
      return result;
    } catch (error) {
      throw storageError(error, this.path);
    } finally {
      this.#writeDepth--;
      // The probe may not see our own commits (data_version does not count them; see read-cache.ts); a failed write changed nothing, but clearing costs nothing.
      this.cache?.clear();
    }
  }

  /**
   * Before the vault's connection closes, the handle's own resources beside it: the checkpoint
   * worker's connection goes first, so ours is the last; then the read cache's probe.
   */
  close(): void {
    this.#checkpointer?.close();
    this.cache?.close();
  }
}
