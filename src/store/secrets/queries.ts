import { ObjectTable } from "../object-table.js";
import type { Statements } from "../statements.js";
import type { PropertiesRow, VersionFields, VersionRow } from "./rows.js";

/** The SQL of the `secrets` and `versions` tables (prepared on first use, see statements.ts). */
export class SecretTable extends ObjectTable<VersionRow, PropertiesRow> {
  constructor(sql: Statements) {
    super(sql, {
      objects: "secrets",
      versions: "versions",
      ref: "secret_id",
      properties: ["version", "content_type", "tags", "enabled", "nbf", "exp", "created", "updated", "managed"],
    });
  }

  insertSecret(nameKey: string, name: string): number {
    return this.insertObject(nameKey, name);
  }

  /** Adds a version and makes it the secret's latest. */
  insertVersion(secretId: number, nameKey: string, v: VersionFields): number {
    const info = this.sql.get(
      `INSERT INTO versions (secret_id, version, value, content_type, tags, enabled, nbf, exp, created, updated)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(secretId, v.version, v.value, v.content_type, v.tags, v.enabled, v.nbf, v.exp, v.created, v.updated);
    const seq = Number(info.lastInsertRowid);
    this.setLatest(nameKey, seq);
    return seq;
  }

  markManaged(seq: number): void {
    this.sql.get("UPDATE versions SET managed = 1 WHERE seq = ?").run(seq);
  }

  updateVersion(seq: number, v: Omit<VersionFields, "version" | "value" | "created">): void {
    this.sql.get("UPDATE versions SET enabled = ?, nbf = ?, exp = ?, content_type = ?, tags = ?, updated = ? WHERE seq = ?").run(
      v.enabled,
      v.nbf,
      v.exp,
      v.content_type,
      v.tags,
      v.updated,
      seq,
    );
  }
}
