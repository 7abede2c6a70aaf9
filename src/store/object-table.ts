import type { SQLInputValue } from "./sqlite.js";
import type { Statements } from "./statements.js";

/**
 * The two tables every kind of object has (schema.ts, migrations 4 and 5): one row per name,
 * keyed by the lowercase name itself (WITHOUT ROWID) with the soft-delete facts and the seq of
 * the latest version, and one row per version in insertion order (`seq`). A get walks two
 * b-trees: the name's row, then its latest version by seq. Secrets and keys share the lifecycle
 * SQL below; each kind's own table class adds the statements that know its version columns.
 */
export interface ObjectTables {
  /** `secrets`, `keys`. */
  objects: string;
  /** `versions`, `key_versions`. */
  versions: string;
  /** The versions' column that points at the object: `secret_id`, `key_id`; rows carry the object's id under this name. */
  ref: string;
  /**
   * Every version column but the sealed one (`value`, `private`), `seq` and `ref`: listings select
   * these, so a page holds only what it returns.
   */
  properties: readonly string[];
}

export interface ObjectHead {
  id: number;
  name: string;
  deleted_date: number | null;
}

/** What every joined row has, whatever the kind: the object's columns and the version's order. */
export interface ObjectRowBase {
  seq: number;
  version: string;
  name: string;
  name_key: string;
  deleted_date: number | null;
  scheduled_purge_date: number | null;
}

export class ObjectTable<Row extends ObjectRowBase, PropertiesRow extends ObjectRowBase> {
  protected readonly sql: Statements;
  readonly #t: ObjectTables;
  readonly #all: string;
  readonly #properties: string;

  constructor(sql: Statements, tables: ObjectTables) {
    this.sql = sql;
    this.#t = tables;
    const object = `o.id AS ${tables.ref}, o.name, o.name_key, o.deleted_date, o.scheduled_purge_date`;
    this.#all = `${object}, v.*`;
    this.#properties = `${object}, v.seq, ${tables.properties.map((c) => `v.${c}`).join(", ")}`;
  }

  /** `SELECT <row> FROM objects o JOIN versions v ...`, for the kind's own queries. */
  protected select(latestOnly: boolean, columns = this.#all, indexedBy = ""): string {
    const { objects, versions, ref } = this.#t;
    // The latest version is the last one written (insertion order), which the object's row points at.
    return `SELECT ${columns} FROM ${objects} o${indexedBy && ` INDEXED BY ${indexedBy}`} JOIN ${versions} v ON ${latestOnly ? "v.seq = o.latest_seq" : `v.${ref} = o.id`}`;
  }

  head(nameKey: string): ObjectHead | undefined {
    return this.sql.get(`SELECT id, name, deleted_date FROM ${this.#t.objects} WHERE name_key = ?`).get(nameKey) as unknown as ObjectHead | undefined;
  }

  /**
   * A new object's row, with the kind's own columns in `extra` (a certificate's policy). The table
   * has no rowid: the next id is one past the largest, one seek of its unique index.
   */
  insertObject(nameKey: string, name: string, extra: Readonly<Record<string, SQLInputValue>> = {}): number {
    const { objects } = this.#t;
    const columns = Object.keys(extra);
    const row = this.sql
      .get(
        `INSERT INTO ${objects} (name_key, id, name${columns.map((c) => `, ${c}`).join("")})
         VALUES (?, (SELECT coalesce(max(id), 0) + 1 FROM ${objects}), ?${", ?".repeat(columns.length)}) RETURNING id`,
      )
      .get(nameKey, name, ...Object.values(extra)) as { id: number };
    return row.id;
  }

  /** After a kind inserts a version: it becomes the object's latest. By name_key, the table's own key: one b-tree. */
  protected setLatest(nameKey: string, seq: number): void {
    this.sql.get(`UPDATE ${this.#t.objects} SET latest_seq = ? WHERE name_key = ?`).run(seq, nameKey);
  }

  /**
   * Does the latest version belong to a certificate? For the kinds whose versions carry `managed`
   * (secrets, keys): the one column, not the row with its sealed part, on every write of a version.
   */
  latestManaged(nameKey: string): boolean {
    const row = this.sql
      .get(`SELECT v.managed FROM ${this.#t.objects} o JOIN ${this.#t.versions} v ON v.seq = o.latest_seq WHERE o.name_key = ?`)
      .get(nameKey) as { managed: number } | undefined;
    return row?.managed === 1;
  }

  /** The latest version of a live object, or the given version of it. */
  live(nameKey: string, version?: string): Row | undefined {
    return (
      version === undefined
        ? this.sql.get(`${this.select(true)} WHERE o.name_key = ? AND o.deleted_date IS NULL`).get(nameKey)
        : this.sql.get(`${this.select(false)} WHERE o.name_key = ? AND o.deleted_date IS NULL AND v.version = ?`).get(nameKey, version)
    ) as unknown as Row | undefined;
  }

  /** The latest version of a soft-deleted object whose retention has not ended. */
  deleted(nameKey: string, now: number): Row | undefined {
    return this.sql
      .get(`${this.select(true)} WHERE o.name_key = ? AND o.deleted_date IS NOT NULL AND o.scheduled_purge_date > ?`)
      .get(nameKey, now) as unknown as Row | undefined;
  }

  /** Versions of a live object in the order they were written, after `afterSeq`; at most `limit` (-1: all). */
  versions(nameKey: string, afterSeq: number, limit: number): Row[] {
    return this.#versions(this.#all, nameKey, afterSeq, limit) as Row[];
  }

  /** {@link versions} without the sealed column. */
  versionProperties(nameKey: string, afterSeq: number, limit: number): PropertiesRow[] {
    return this.#versions(this.#properties, nameKey, afterSeq, limit) as PropertiesRow[];
  }

  #versions(columns: string, nameKey: string, afterSeq: number, limit: number): unknown[] {
    const { objects, versions, ref } = this.#t;
    // The page's seqs come from the (ref, version) index alone (covering: seq is its rowid), sorted
    // there; only the rows of the page are then read.
    return this.sql
      .get(
        `${this.select(false, columns)} WHERE o.name_key = ?1 AND o.deleted_date IS NULL AND v.seq IN (
           SELECT seq FROM ${versions} WHERE ${ref} = (SELECT id FROM ${objects} WHERE name_key = ?1) AND seq > ?2 ORDER BY seq LIMIT ?3)
         ORDER BY v.seq`,
      )
      .all(nameKey, afterSeq, limit);
  }

  listLive(afterKey: string, limit: number): PropertiesRow[] {
    return this.sql
      .get(`${this.select(true, this.#properties)} WHERE o.deleted_date IS NULL AND o.name_key > ? ORDER BY o.name_key LIMIT ?`)
      .all(afterKey, limit) as unknown as PropertiesRow[];
  }

  /** {@link listLive} in code-point order of the name (the CLI's), after `afterName`, through the name index. */
  listLiveByName(afterName: string, limit: number): PropertiesRow[] {
    return this.sql
      .get(`${this.select(true, this.#properties, `${this.#t.objects}_by_name`)} WHERE o.name > ? AND o.deleted_date IS NULL ORDER BY o.name LIMIT ?`)
      .all(afterName, limit) as unknown as PropertiesRow[];
  }

  /**
   * Names of live objects in code-point order (BINARY, as JavaScript's `<` for Key Vault's ASCII
   * names), after `afterName`. SQLite joins the page into one string (names are [0-9a-zA-Z-], so a
   * newline cannot be in one): a row object per name was most of what a 1M listing allocated, and
   * V8 grew its heap by tens of MB under that rate before collecting.
   */
  listNames(afterName: string, limit: number): string[] {
    const { objects } = this.#t;
    const { names } = this.sql
      .get(
        `SELECT group_concat(name, char(10) ORDER BY name) AS names FROM (
           SELECT name FROM ${objects} INDEXED BY ${objects}_by_name WHERE name > ? AND deleted_date IS NULL ORDER BY name LIMIT ?)`,
      )
      .get(afterName, limit) as { names: string | null };
    return names === null ? [] : names.split("\n");
  }

  listDeleted(now: number, afterKey: string, limit: number): PropertiesRow[] {
    return this.sql
      .get(
        `${this.select(true, this.#properties)} WHERE o.deleted_date IS NOT NULL AND o.scheduled_purge_date > ? AND o.name_key > ? ORDER BY o.name_key LIMIT ?`,
      )
      .all(now, afterKey, limit) as unknown as PropertiesRow[];
  }

  markDeleted(id: number, deletedDate: number, scheduledPurgeDate: number): void {
    this.sql.get(`UPDATE ${this.#t.objects} SET deleted_date = ?, scheduled_purge_date = ? WHERE id = ?`).run(deletedDate, scheduledPurgeDate, id);
  }

  markRecovered(id: number): void {
    this.sql.get(`UPDATE ${this.#t.objects} SET deleted_date = NULL, scheduled_purge_date = NULL WHERE id = ?`).run(id);
  }

  /** Removes the object and (by cascade) every version. */
  remove(id: number): void {
    this.sql.get(`DELETE FROM ${this.#t.objects} WHERE id = ?`).run(id);
  }

  /** Is any soft-deleted object past its scheduled purge? One seek of the partial index. */
  purgeDue(now: number): boolean {
    return (
      this.sql.get(`SELECT 1 FROM ${this.#t.objects} WHERE deleted_date IS NOT NULL AND scheduled_purge_date <= ? LIMIT 1`).get(now) !== undefined
    );
  }

  purgeExpired(now: number): number {
    return this.sql.get(`DELETE FROM ${this.#t.objects} WHERE deleted_date IS NOT NULL AND scheduled_purge_date <= ?`).run(now).changes as number;
  }
}
