import type { ObjectKind } from "../core/errors.js";
import { deletedObjectNotFound, managedByKeyVault, objectNotFound } from "../core/object-errors.js";
import { assertValidName } from "../core/rules.js";
import type { ObjectRowBase, ObjectTable } from "./object-table.js";
import { decodeCursor, fetchLimit, toPage } from "./paging.js";
import type { Page, PageRequest } from "./types.js";
import type { VaultCore } from "./vault-core.js";

const DAY_SECONDS = 86_400;

export interface LifecycleOptions<Props, Live, Deleted> {
  kind: ObjectKind;
  /** The object's id on a joined row (`secret_id`, `key_id`). */
  idOf: (row: Props) => number;
  /** From a row with or without the sealed column (listings leave it out). */
  toLive: (row: Props) => Live;
  toDeleted: (row: Props) => Deleted;
  /** Does this row belong to a certificate (a managed key or secret), which only the certificate may delete? */
  isManaged?: (row: Props) => boolean;
  /** Runs before every read: the vault's purge check, and whatever else the kind does on read. */
  beforeRead: () => void;
}

/**
 * What every kind does alike, once: list the latest versions, list one object's versions, and
 * soft-delete / get-deleted / list-deleted / recover / purge, on the shared retention. The kind's
 * repository keeps its writes of new versions and hands these through.
 */
export class Lifecycle<Row extends Props, Props extends ObjectRowBase, Live, Deleted> {
  readonly #core: VaultCore;
  readonly #table: ObjectTable<Row, Props>;
  readonly #o: LifecycleOptions<Props, Live, Deleted>;

  constructor(core: VaultCore, table: ObjectTable<Row, Props>, options: LifecycleOptions<Props, Live, Deleted>) {
    this.#core = core;
    this.#table = table;
    this.#o = options;
  }

  /**
   * The latest version of each live object, by lowercase name; `byName`: in code-point order of
   * the names, as {@link names} gives them.
   */
  list(page: PageRequest = {}, byName = false): Page<Live> {
    const limit = fetchLimit(page);
    const after = page.after === undefined ? "" : (decodeCursor(page.after, ["string"])[0] as string);
    this.#o.beforeRead();
    const rows = this.#core.scan(() => (byName ? this.#table.listLiveByName(after, limit) : this.#table.listLive(after, limit)));
    return toPage(rows, page, this.#o.toLive, (row) => [byName ? row.name : row.name_key]);
  }

  /**
   * Names of the live objects in code-point order (as the CLI prints them), from one index and
   * nothing else: no version, no sealed column, a page of small rows at a time.
   */
  names(page: PageRequest = {}): Page<string> {
    const limit = fetchLimit(page);
    const after = page.after === undefined ? "" : (decodeCursor(page.after, ["string"])[0] as string);
    this.#o.beforeRead();
    const names = this.#core.scan(() => this.#table.listNames(after, limit));
    return toPage(names, page, (name) => name, (name) => [name]);
  }

  /** Every version in the order written; an unknown (or deleted) name gives an empty page. */
  versions(name: string, page: PageRequest = {}): Page<Live> {
    assertValidName(name, this.#o.kind);
    const limit = fetchLimit(page);
    const seq = page.after === undefined ? 0 : (decodeCursor(page.after, ["number"])[0] as number);
    this.#o.beforeRead();
    const rows = this.#core.read(() => this.#table.versionProperties(name.toLowerCase(), seq, limit));
    return toPage(rows, page, this.#o.toLive, (row) => [row.seq]);
  }

  /** Soft-deletes every version; the name stays taken until recovered, purged, or purged on schedule. */
  /** `byCertificate`: the certificates repository deleting its own key or secret. */
  delete(name: string, byCertificate = false): Deleted {
    assertValidName(name, this.#o.kind);
    return this.#core.write(() => {
      const now = this.#core.purgeExpired();
      const row = this.#table.live(name.toLowerCase());
      if (!row) throw objectNotFound(this.#o.kind, name);
      if (!byCertificate && this.#o.isManaged?.(row)) throw managedByKeyVault(this.#o.kind, row.name, "delete");
      const scheduled = now + this.#core.retention.recoverableDays * DAY_SECONDS;
      this.#table.markDeleted(this.#o.idOf(row), now, scheduled);
      return this.#o.toDeleted({ ...row, deleted_date: now, scheduled_purge_date: scheduled });
    });
  }

  getDeleted(name: string): Deleted {
    assertValidName(name, this.#o.kind);
    this.#o.beforeRead();
    const row = this.#core.read(() => this.#table.deleted(name.toLowerCase(), this.#core.now()));
    if (!row) throw deletedObjectNotFound(this.#o.kind, name);
    return this.#o.toDeleted(row);
  }

  listDeleted(page: PageRequest = {}): Page<Deleted> {
    const limit = fetchLimit(page);
    const after = page.after === undefined ? "" : (decodeCursor(page.after, ["string"])[0] as string);
    this.#o.beforeRead();
    const rows = this.#core.scan(() => this.#table.listDeleted(this.#core.now(), after, limit));
    return toPage(rows, page, this.#o.toDeleted, (row) => [row.name_key]);
  }

  /** Brings back every version; returns the latest. */
  recover(name: string): Live {
    assertValidName(name, this.#o.kind);
    return this.#core.write(() => {
      const now = this.#core.purgeExpired();
      const row = this.#table.deleted(name.toLowerCase(), now);
      if (!row) throw deletedObjectNotFound(this.#o.kind, name);
      this.#table.markRecovered(this.#o.idOf(row));
      return this.#o.toLive({ ...row, deleted_date: null, scheduled_purge_date: null });
    });
  }

  /** Removes every version for good; the name is free again. */
  purge(name: string): void {
    assertValidName(name, this.#o.kind);
    this.#core.write(() => {
      this.#core.purgeExpired();
      const head = this.#table.head(name.toLowerCase());
      if (!head || head.deleted_date === null) throw deletedObjectNotFound(this.#o.kind, name);
      this.#table.remove(head.id);
    });
  }
}
