import type { Statements } from "../statements.js";
import type { PropertiesRow, VersionFields, VersionRow } from "./rows.js";

const SECRET_COLUMNS = `s.id AS secret_id, s.name, s.name_key, s.deleted_date, s.scheduled_purge_date`;
const COLUMNS = `${SECRET_COLUMNS}, v.*`;
/** Everything but the sealed value: listings never read it, so a page holds only what it returns. */
const PROPERTY_COLUMNS = `${SECRET_COLUMNS}, v.seq, v.secret_id, v.version, v.content_type, v.tags, v.enabled, v.nbf, v.exp, v.created, v.updated`;
/** The latest version: the last one written (insertion order), which the secret's row points at. */
const LATEST_JOIN = `JOIN versions v ON v.seq = s.latest_seq`;

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

  /** `secrets` has no rowid (schema.ts, migration 4): the next id is one past the largest, one seek of its index. */
  insertSecret(nameKey: string, name: string): number {
    const row = this.#sql
      .get("INSERT INTO secrets (name_key, id, name) VALUES (?, (SELECT coalesce(max(id), 0) + 1 FROM secrets), ?) RETURNING id")
      .get(nameKey, name) as { id: number };
    return row.id;
  }

  /** Adds a version and makes it the secret's latest. */
  insertVersion(secretId: number, nameKey: string, v: VersionFields): number {
    const info = this.#sql.get(
      `INSERT INTO versions (secret_id, version, value, content_type, tags, enabled, nbf, exp, created, updated)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(secretId, v.version, v.value, v.content_type, v.tags, v.enabled, v.nbf, v.exp, v.created, v.updated);
    const seq = Number(info.lastInsertRowid);
    this.#sql.get("UPDATE secrets SET latest_seq = ? WHERE name_key = ?").run(seq, nameKey);
    return seq;
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
    return this.#versions(COLUMNS, nameKey, afterSeq, limit) as VersionRow[];
  }

  /** {@link versions} without the values. */
  versionProperties(nameKey: string, afterSeq: number, limit: number): PropertiesRow[] {
    return this.#versions(PROPERTY_COLUMNS, nameKey, afterSeq, limit);
  }

  #versions(columns: string, nameKey: string, afterSeq: number, limit: number): PropertiesRow[] {
    // The page's seqs come from the (secret_id, version) index alone (covering: seq is its rowid),
    // sorted there; only the rows of the page are then read.
    return this.#sql.get(
      `SELECT ${columns} FROM secrets s JOIN versions v ON v.secret_id = s.id
       WHERE s.name_key = ?1 AND s.deleted_date IS NULL AND v.seq IN (
         SELECT seq FROM versions WHERE secret_id = (SELECT id FROM secrets WHERE name_key = ?1) AND seq > ?2 ORDER BY seq LIMIT ?3)
       ORDER BY v.seq`,
    ).all(nameKey, afterSeq, limit) as unknown as PropertiesRow[];
  }

  listLive(afterKey: string, limit: number): PropertiesRow[] {
    return this.#sql.get(
      `SELECT ${PROPERTY_COLUMNS} FROM secrets s ${LATEST_JOIN}
       WHERE s.deleted_date IS NULL AND s.name_key > ? ORDER BY s.name_key LIMIT ?`,
    ).all(afterKey, limit) as unknown as PropertiesRow[];
  }

  /** Names of live secrets in code-point order (BINARY, as JavaScript's `<` for Key Vault's ASCII names), after `afterName`. */
  listNames(afterName: string, limit: number): { name: string }[] {
    return this.#sql.get(
      "SELECT name FROM secrets INDEXED BY secrets_by_name WHERE name > ? AND deleted_date IS NULL ORDER BY name LIMIT ?",
    ).all(afterName, limit) as unknown as { name: string }[];
  }

  listDeleted(now: number, afterKey: string, limit: number): PropertiesRow[] {
    return this.#sql.get(
      `SELECT ${PROPERTY_COLUMNS} FROM secrets s ${LATEST_JOIN}
       WHERE s.deleted_date IS NOT NULL AND s.scheduled_purge_date > ? AND s.name_key > ? ORDER BY s.name_key LIMIT ?`,
    ).all(now, afterKey, limit) as unknown as PropertiesRow[];
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
