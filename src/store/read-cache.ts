import { changeProbe, type ChangeProbe } from "./change-probe.js";
import type { SecretStr } from "../core/secret-str.js";
import type { DatabaseSync } from "./sqlite.js";
import type { StoredSecret } from "./types.js";

/** A read as getSecret returns it; both parts immutable, so a hit hands out the same object. */
export interface SecretRead {
  readonly secret: StoredSecret;
  readonly value: SecretStr;
}

/**
 * An entry and when it last moved to the back of the Map's order (a count of moves). A hit moves
 * it again only once half the cache has moved past it: moving costs a Map delete and set, so the
 * hot entries of a busy server, read again and again, stay put. Eviction still takes the first
 * entry, which nothing has read for at least half the cache's worth of insertions.
 */
interface Slot {
  read: SecretRead;
  moved: number;
}

/**
 * Decrypted reads of a long-lived vault (the server's), kept until the database changes. A hit
 * skips the SQLite join and the AES-GCM open: per request that is most of the store's cost.
 *
 * Fresh across processes: the probe (change-probe.ts: the WAL index header, or `PRAGMA
 * data_version`) tells when another connection committed to the file (an `orbitra secrets set` in
 * another process, say), and the vault clears the cache after each of its own writes. The probe
 * runs once per event-loop turn, not per lookup: data_version per lookup cost as much as the rest
 * of a cached read (~2 µs of ~25 per request). So a read reflects every write committed before
 * the first lookup of the turn that serves it: at most one turn (well under a millisecond) behind
 * another process's commit, never behind this process's.
 * Only successful reads are kept, so a missing or disabled secret is always looked up again.
 *
 * The values are plaintext in this process's memory, as the vault key already is and as every
 * value a request returns is on its way out; the cache is bounded (least recently used goes
 * first, near enough: see Slot) and off unless asked for (OpenVaultOptions.readCacheEntries): a
 * one-shot CLI has no use for it.
 */
export class ReadCache {
  readonly #entries = new Map<string, Slot>();
  #moves = 0;
  readonly #probe: ChangeProbe;
  #checkedThisTurn = false;
  readonly #nextTurn = () => {
    this.#checkedThisTurn = false;
  };

  constructor(
    db: DatabaseSync,
    path: string,
    private readonly maxEntries: number,
  ) {
    this.#probe = changeProbe(db, path);
  }

  get(key: string): SecretRead | undefined {
    if (!this.#checkedThisTurn) {
      this.#checkedThisTurn = true;
      // Immediates run right after the I/O phase: the next turn's first lookup checks again.
      setImmediate(this.#nextTurn);
      if (this.#probe.changed()) {
        this.#entries.clear();
        return undefined;
      }
    }
    const slot = this.#entries.get(key);
    if (slot === undefined) return undefined;
    if (this.#moves - slot.moved > this.maxEntries >> 1) {
      // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
      this.#entries.delete(key);
      this.#entries.set(key, slot);
      slot.moved = ++this.#moves;
    }
    return slot.read;
  }

  set(key: string, read: SecretRead): void {
    this.#entries.delete(key);
    this.#entries.set(key, { read, moved: ++this.#moves });
    if (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
  }

  clear(): void {
    this.#entries.clear();
  }

  /** With the database: the probe may hold a descriptor of the `-shm` file. */
  close(): void {
    this.#entries.clear();
    this.#probe.close();
  }
}
