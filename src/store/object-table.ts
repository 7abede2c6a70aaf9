import type { Statements } from "./statements.js";

/**
 * The two tables every kind of object has: one row per name (with the soft-delete facts) and one
 * per version, in insertion order (`seq`). Secrets and keys share the lifecycle SQL below; each
 * kind's own table class adds the statements that know its version columns.
 */
export interface ObjectTables {
  /** `secrets`, `keys`. */
  objects: string;
  /** `versions`, `key_versions`. */
  versions: string;
  /** The versions' column that points at the object: `secret_id`, `key_id`; rows carry the object's id under this name. */
  ref: string;
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

export class ObjectTable<Row extends ObjectRowBase> {
  protected readonly sql: Statements;
  readonly #t: ObjectTables;
  readonly #columns: string;
  /** The latest version: the last one written (insertion order), one probe of the (ref, seq) index. */
  readonly #latest: string;

  constructor(sql: Statements, tables: ObjectTables) {
    this.sql = sql;
    this.#t = tables;
    this.#columns = `o.id AS ${tables.ref}, o.name, o.name_key, o.deleted_date, o.scheduled_purge_date, v.*`;
    this.#latest = `JOIN ${tables.versions} v ON v.seq = (SELECT seq FROM ${tables.versions} WHERE ${tables.ref} = o.id ORDER BY seq DESC LIMIT 1)`;
  }

  /** `SELECT <row> FROM objects o JOIN versions v ...`, for the kind's own queries. */
  protected select(latestOnly: boolean): string {
    const { objects, versions, ref } = this.#t;
    return latestOnly
      ? `SELECT ${this.#columns} FROM ${objects} o ${this.#latest}`
      : `SELECT ${this.#columns} FROM ${objects} o JOIN ${versions} v ON v.${ref} = o.id`;
  }

  head(nameKey: string): ObjectHead | undefined {
    return this.sql.get(`SELECT id, name, deleted_date FROM ${this.#t.objects} WHERE name_key = ?`).get(nameKey) as unknown as ObjectHead | undefined;
  }

  insertObject(nameKey: string, name: string): number {
    return Number(this.sql.get(`INSERT INTO ${this.#t.objects} (name_key, name) VALUES (?, ?)`).run(nameKey, name).lastInsertRowid);
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
    return this.sql
      .get(`${this.select(false)} WHERE o.name_key = ? AND o.deleted_date IS NULL AND v.seq > ? ORDER BY v.seq LIMIT ?`)
      .all(nameKey, afterSeq, limit) as unknown as Row[];
  }

  listLive(afterKey: string, limit: number): Row[] {
    return this.sql
      .get(`${this.select(true)} WHERE o.deleted_date IS NULL AND o.name_key > ? ORDER BY o.name_key LIMIT ?`)
      .all(afterKey, limit) as unknown as Row[];
  }

  listDeleted(now: number, afterKey: string, limit: number): Row[] {
    return this.sql
      .get(
        `${this.select(true)} WHERE o.deleted_date IS NOT NULL AND o.scheduled_purge_date > ? AND o.name_key > ? ORDER BY o.name_key LIMIT ?`,
      )
      .all(now, afterKey, limit) as unknown as Row[];
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
