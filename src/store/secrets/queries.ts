import type { Statements } from "../statements.js";
import type { VersionFields, VersionRow } from "./rows.js";

const COLUMNS = `s.id AS secret_id, s.name, s.name_key, s.deleted_date, s.scheduled_purge_date, v.*`;
/** The latest version: the last one written (insertion order), one probe of versions_by_secret_seq. */
const LATEST_JOIN = `JOIN versions v ON v.seq =
  (SELECT seq FROM versions WHERE secret_id = s.id ORDER BY seq DESC LIMIT 1)`;

export interface SecretHead {
  id: number;
  name: string;
  deleted_date: number | null;
}

/** The SQL of the `secrets` and `versions` tables (prepared on first use, see statements.ts). */
export class SecretTable {
  readonly #sql: Statements;

  constructor(sql: Statements) {
    this.#sql = sql;
  }

  head(nameKey: string): SecretHead | undefined {
    return this.#sql.get("SELECT id, name, deleted_date FROM secrets WHERE name_key = ?").get(nameKey) as unknown as SecretHead | undefined;
  }

  insertSecret(nameKey: string, name: string): number {
    return Number(this.#sql.get("INSERT INTO secrets (name_key, name) VALUES (?, ?)").run(nameKey, name).lastInsertRowid);
  }

  insertVersion(secretId: number, v: VersionFields): number {
    const info = this.#sql.get(
      `INSERT INTO versions (secret_id, version, value, content_type, tags, enabled, nbf, exp, created, updated)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(secretId, v.version, v.value, v.content_type, v.tags, v.enabled, v.nbf, v.exp, v.created, v.updated);
    return Number(info.lastInsertRowid);
  }

  markManaged(seq: number): void {
    this.#sql.get("UPDATE versions SET managed = 1 WHERE seq = ?").run(seq);
  }

  updateVersion(seq: number, v: Omit<VersionFields, "version" | "value" | "created">): void {
    this.#sql.get("UPDATE versions SET enabled = ?, nbf = ?, exp = ?, content_type = ?, tags = ?, updated = ? WHERE seq = ?").run(
      v.enabled,
      v.nbf,
      v.exp,
      v.content_type,
      v.tags,
      v.updated,
      seq,
    );
  }

  /** The latest version of a live secret, or the given version of it. */
  live(nameKey: string, version?: string): VersionRow | undefined {
    return (
      version === undefined
        ? this.#sql.get(`SELECT ${COLUMNS} FROM secrets s ${LATEST_JOIN} WHERE s.name_key = ? AND s.deleted_date IS NULL`).get(nameKey)
        : this.#sql.get(
            `SELECT ${COLUMNS} FROM secrets s JOIN versions v ON v.secret_id = s.id
             WHERE s.name_key = ? AND s.deleted_date IS NULL AND v.version = ?`,
          ).get(nameKey, version)
    ) as unknown as VersionRow | undefined;
  }

  /** The latest version of a soft-deleted secret whose retention has not ended. */
  deleted(nameKey: string, now: number): VersionRow | undefined {
    return this.#sql.get(
      `SELECT ${COLUMNS} FROM secrets s ${LATEST_JOIN}
       WHERE s.name_key = ? AND s.deleted_date IS NOT NULL AND s.scheduled_purge_date > ?`,
    ).get(nameKey, now) as unknown as VersionRow | undefined;
  }

  /** Versions of a live secret in the order they were written, after `afterSeq`; at most `limit` (-1: all). */
  versions(nameKey: string, afterSeq: number, limit: number): VersionRow[] {
    return this.#sql.get(
      `SELECT ${COLUMNS} FROM secrets s JOIN versions v ON v.secret_id = s.id
       WHERE s.name_key = ? AND s.deleted_date IS NULL AND v.seq > ?
       ORDER BY v.seq LIMIT ?`,
    ).all(nameKey, afterSeq, limit) as unknown as VersionRow[];
  }

  listLive(afterKey: string, limit: number): VersionRow[] {
    return this.#sql.get(
      `SELECT ${COLUMNS} FROM secrets s ${LATEST_JOIN}
       WHERE s.deleted_date IS NULL AND s.name_key > ? ORDER BY s.name_key LIMIT ?`,
    ).all(afterKey, limit) as unknown as VersionRow[];
  }

  listDeleted(now: number, afterKey: string, limit: number): VersionRow[] {
    return this.#sql.get(
      `SELECT ${COLUMNS} FROM secrets s ${LATEST_JOIN}
       WHERE s.deleted_date IS NOT NULL AND s.scheduled_purge_date > ? AND s.name_key > ? ORDER BY s.name_key LIMIT ?`,
    ).all(now, afterKey, limit) as unknown as VersionRow[];
  }

  markDeleted(secretId: number, deletedDate: number, scheduledPurgeDate: number): void {
    this.#sql.get("UPDATE secrets SET deleted_date = ?, scheduled_purge_date = ? WHERE id = ?").run(deletedDate, scheduledPurgeDate, secretId);
  }

  markRecovered(secretId: number): void {
    this.#sql.get("UPDATE secrets SET deleted_date = NULL, scheduled_purge_date = NULL WHERE id = ?").run(secretId);
  }

  /** Removes the secret and (by cascade) every version. */
  remove(secretId: number): void {
    this.#sql.get("DELETE FROM secrets WHERE id = ?").run(secretId);
  }

  /** Is any soft-deleted secret past its scheduled purge? One seek of the partial index. */
  purgeDue(now: number): boolean {
    return (
      this.#sql.get("SELECT 1 FROM secrets WHERE deleted_date IS NOT NULL AND scheduled_purge_date <= ? LIMIT 1").get(now) !==
      undefined
    );
  }

  purgeExpired(now: number): number {
    return this.#sql.get("DELETE FROM secrets WHERE deleted_date IS NOT NULL AND scheduled_purge_date <= ?").run(now).changes as number;
  }
}
