import { closeSync, openSync, readSync, realpathSync } from "node:fs";
import type { DatabaseSync, StatementSync } from "./sqlite.js";

/**
 * "Has another connection committed to the file since I last asked?": what the read cache asks
 * once per event-loop turn. May answer true when nothing changed (the cache then refills), never
 * false after a commit that finished before the call.
 */
export interface ChangeProbe {
  /** Which test it runs: the WAL index header, or SQLite's data_version. */
  readonly kind: "wal-index" | "data-version";
  changed(): boolean;
  close(): void;
}

/** The wal-index header, both copies (https://sqlite.org/walformat.html, "The WAL-Index Header"). */
const HEADER_BYTES = 96;
/** Its first field, iVersion: the wal-index format every SQLite since 3.7.0 writes. */
const WAL_INDEX_VERSION = 3007000;
/** Its isInit byte: 1 once a connection has built the index. */
const IS_INIT_AT = 12;

/**
 * The cheap probe, for a file in WAL mode: the first 96 bytes of its `-shm` file. Every commit,
 * by any connection of any process, rewrites that header before the commit returns (the frame
 * count and checksums always move, the salts at each WAL restart, and `iChange` counts every write
 * transaction), while readers leave it alone (their read marks live past it). So a header equal
 * to the last one read means no commit finished in between. One pread of a kept descriptor, ~1 µs,
 * where `PRAGMA data_version` takes a WAL read transaction with its shared-memory locks, 2.6-8 µs
 * on the 2-core box (bench/README.md).
 *
 * Reading the header without SQLite's locks can catch a commit half-written: that copy differs
 * from the last one (so it counts as a change), and the next call compares against it, so the
 * finished write shows as a change again: a torn read costs a refill, never a missed commit.
 */
class WalIndexProbe implements ChangeProbe {
  readonly kind = "wal-index";
  #last = Buffer.alloc(HEADER_BYTES);
  #next = Buffer.alloc(HEADER_BYTES);

  constructor(private readonly fd: number) {
    this.changed();
  }

  changed(): boolean {
    const read = readSync(this.fd, this.#next, 0, HEADER_BYTES, 0);
    if (read === HEADER_BYTES && this.#next.equals(this.#last)) return false;
    const seen = this.#next;
    this.#next = this.#last;
    this.#last = seen;
    // A short read (an index being rebuilt) leaves stale bytes behind it: never let those match.
    if (read !== HEADER_BYTES) this.#last.fill(0xff, read);
    return true;
  }

  /** True when the header reads as a wal-index SQLite built (native byte order), not some other file. */
  looksLive(): boolean {
    const header = this.#last;
    return (header.readUInt32LE(0) === WAL_INDEX_VERSION || header.readUInt32BE(0) === WAL_INDEX_VERSION) && header[IS_INIT_AT] === 1;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** The fallback, for a file not in WAL mode (or when the `-shm` file cannot be read): SQLite's own counter. */
class DataVersionProbe implements ChangeProbe {
  readonly kind = "data-version";
  readonly #statement: StatementSync;
  #seen = -1;

  constructor(db: DatabaseSync) {
    this.#statement = db.prepare("PRAGMA data_version");
  }

  changed(): boolean {
    const version = (this.#statement.get() as { data_version: number }).data_version;
    if (version === this.#seen) return false;
    this.#seen = version;
    return true;
  }

  close(): void {}
}

/**
 * The probe for an open database: the `-shm` header when the file is in WAL mode and its index is
 * where SQLite keeps it, else data_version. The index sits beside the file SQLite opened, which is
 * the path with symbolic links resolved: `db.location()` where Node has it (24+), realpath before.
 */
export function changeProbe(db: DatabaseSync, path: string): ChangeProbe {
  const mode = (db.prepare("PRAGMA journal_mode").get() as { journal_mode: string } | undefined)?.journal_mode;
  if (mode?.toLowerCase() === "wal") {
    let fd: number | undefined;
    try {
      const location = (db as { location?: () => string | null }).location?.() ?? realpathSync(path);
      fd = openSync(`${location}-shm`, "r");
      const probe = new WalIndexProbe(fd);
      if (probe.looksLive()) return probe;
    } catch {
      // No readable index (a read-only folder, locking_mode=exclusive keeps it in the heap): fall back.
    }
    if (fd !== undefined) closeSync(fd);
  }
  return new DataVersionProbe(db);
}
