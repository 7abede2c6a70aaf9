import { ObjectTable } from "../object-table.js";
import type { Statements } from "../statements.js";
import type { KeyPropertiesRow, KeyVersionFields, KeyVersionRow } from "./rows.js";

export type KeyVersionChange = Pick<KeyVersionFields, "enabled" | "nbf" | "exp" | "tags" | "key_ops" | "updated">;

/** The SQL of the `keys` and `key_versions` tables (prepared on first use, see statements.ts). */
export class KeyTable extends ObjectTable<KeyVersionRow, KeyPropertiesRow> {
  constructor(sql: Statements) {
    super(sql, {
      objects: "keys",
      versions: "key_versions",
      ref: "key_id",
      properties: ["version", "kty", "key_size", "crv", "public_jwk", "key_ops", "tags", "enabled", "nbf", "exp", "exportable", "managed", "created", "updated"],
    });
  }

  /** Adds a version and makes it the key's latest. */
  insertVersion(keyId: number, nameKey: string, v: KeyVersionFields): number {
    const info = this.sql
      .get(
        `INSERT INTO key_versions (key_id, version, kty, key_size, crv, public_jwk, private, key_ops, tags, enabled, nbf, exp, exportable, managed, created, updated)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(keyId, v.version, v.kty, v.key_size, v.crv, v.public_jwk, v.private, v.key_ops, v.tags, v.enabled, v.nbf, v.exp, v.exportable, v.managed, v.created, v.updated);
    const seq = Number(info.lastInsertRowid);
    this.setLatest(nameKey, seq);
    return seq;
  }

  updateVersion(seq: number, v: KeyVersionChange): void {
    this.sql
      .get("UPDATE key_versions SET enabled = ?, nbf = ?, exp = ?, tags = ?, key_ops = ?, updated = ? WHERE seq = ?")
      .run(v.enabled, v.nbf, v.exp, v.tags, v.key_ops, v.updated, seq);
  }

  /** The stored rotation policy (JSON), or null when none was ever set. */
  rotationPolicy(keyId: number): string | null {
    const row = this.sql.get("SELECT rotation_policy FROM keys WHERE id = ?").get(keyId) as { rotation_policy: string | null } | undefined;
    return row?.rotation_policy ?? null;
  }

  setRotationPolicy(keyId: number, policy: string | null): void {
    this.sql.get("UPDATE keys SET rotation_policy = ? WHERE id = ?").run(policy, keyId);
  }

  setRotateDue(keyId: number, due: number | null): void {
    this.sql.get("UPDATE keys SET rotate_due = ? WHERE id = ?").run(due, keyId);
  }

  /** Live keys whose policy's Rotate action fell due by `now`: one seek of the partial index. */
  rotationsDue(now: number): { id: number; name_key: string }[] {
    return this.sql
      .get("SELECT id, name_key FROM keys WHERE rotate_due IS NOT NULL AND rotate_due <= ? AND deleted_date IS NULL ORDER BY rotate_due")
      .all(now) as unknown as { id: number; name_key: string }[];
  }

  anyRotationDue(now: number): boolean {
    return this.sql.get("SELECT 1 FROM keys WHERE rotate_due IS NOT NULL AND rotate_due <= ? AND deleted_date IS NULL LIMIT 1").get(now) !== undefined;
  }
}
