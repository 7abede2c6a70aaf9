import { ObjectTable } from "../object-table.js";
import type { Statements } from "../statements.js";

/** A certificates row: the name, the policy (JSON), the renewal date, the soft-delete facts. */
export interface CertificateHead {
  id: number;
  name: string;
  name_key: string;
  policy: string;
  renew_at: number | null;
  deleted_date: number | null;
  scheduled_purge_date: number | null;
}

export interface CertificateVersionFields {
  version: string;
  cer: Uint8Array;
  /** JSON list of base64 DER, or null for none. */
  chain: string | null;
  /** Sealed PKCS#8 PEM (see repository.ts, keySeal). */
  private_key: Uint8Array;
  tags: string | null;
  enabled: number;
  nbf: number;
  exp: number;
  created: number;
  updated: number;
}

/** A version row joined with its certificate (object-table.ts names the certificate's id `certificate_id`). */
export interface CertificateVersionRow extends Omit<CertificateHead, "id">, CertificateVersionFields {
  certificate_id: number;
  seq: number;
}

/** A {@link CertificateVersionRow} without the sealed private key, as listings select it. */
export type CertificatePropertiesRow = Omit<CertificateVersionRow, "private_key">;

export interface OperationRow {
  certificate_id: number;
  request_id: string;
  status: string;
  status_details: string;
  cancellation_requested: number;
  csr: Uint8Array | null;
  private_key: Uint8Array | null;
  tags: string | null;
  enabled: number;
  error: string | null;
  created: number;
}

const HEAD = "c.id, c.name, c.name_key, c.policy, c.renew_at, c.deleted_date, c.scheduled_purge_date";

/**
 * The SQL of the certificates tables (prepared on first use, see statements.ts): the lifecycle
 * every kind shares (object-table.ts), with the head's policy and renewal date in every row.
 */
export class CertificateTable extends ObjectTable<CertificateVersionRow, CertificatePropertiesRow> {
  constructor(sql: Statements) {
    super(sql, {
      objects: "certificates",
      versions: "certificate_versions",
      ref: "certificate_id",
      properties: ["version", "cer", "chain", "tags", "enabled", "nbf", "exp", "created", "updated"],
    });
  }

  protected override select(latestOnly: boolean, columns?: string): string {
    return super.select(latestOnly, columns).replace(/^SELECT /, "SELECT o.policy, o.renew_at, ");
  }

  certificate(nameKey: string): CertificateHead | undefined {
    return this.sql.get(`SELECT ${HEAD} FROM certificates c WHERE c.name_key = ?`).get(nameKey) as unknown as CertificateHead | undefined;
  }

  insertHead(nameKey: string, name: string, policy: string): number {
    return this.insertObject(nameKey, name, { policy });
  }

  setPolicy(id: number, policy: string, renewAt: number | null): void {
    this.sql.get("UPDATE certificates SET policy = ?, renew_at = ? WHERE id = ?").run(policy, renewAt, id);
  }

  /** Adds a version and makes it the certificate's latest. */
  insertVersion(certificateId: number, nameKey: string, v: CertificateVersionFields): number {
    const info = this.sql.get(
      `INSERT INTO certificate_versions (certificate_id, version, cer, chain, private_key, tags, enabled, nbf, exp, created, updated)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(certificateId, v.version, v.cer, v.chain, v.private_key, v.tags, v.enabled, v.nbf, v.exp, v.created, v.updated);
    const seq = Number(info.lastInsertRowid);
    this.setLatest(nameKey, seq);
    return seq;
  }

  updateVersion(seq: number, v: { enabled: number; tags: string | null; updated: number }): void {
    this.sql.get("UPDATE certificate_versions SET enabled = ?, tags = ?, updated = ? WHERE seq = ?").run(v.enabled, v.tags, v.updated, seq);
  }

  /**
   * Live certificates after `afterKey`, latest version each, and those that have no version yet
   * but an operation in progress (their version columns are null: `seq` null tells them apart).
   */
  listWithPending(afterKey: string, limit: number): (CertificatePropertiesRow | (CertificateHead & { seq: null }))[] {
    return this.sql.get(
      `SELECT ${HEAD}, v.* FROM certificates c
       LEFT JOIN certificate_versions v ON v.seq = c.latest_seq
       WHERE c.deleted_date IS NULL AND c.name_key > ?
         AND (v.seq IS NOT NULL OR EXISTS (SELECT 1 FROM certificate_operations o WHERE o.certificate_id = c.id AND o.status = 'inProgress'))
       ORDER BY c.name_key LIMIT ?`,
    ).all(afterKey, limit) as unknown as CertificatePropertiesRow[];
  }

  /** Live certificates whose AutoRenew fell due: one seek of the partial index. */
  renewalsDue(now: number): CertificateHead[] {
    return this.sql.get(`SELECT ${HEAD} FROM certificates c WHERE c.renew_at IS NOT NULL AND c.deleted_date IS NULL AND c.renew_at <= ?`).all(
      now,
    ) as unknown as CertificateHead[];
  }

  operation(certificateId: number): OperationRow | undefined {
    return this.sql.get("SELECT * FROM certificate_operations WHERE certificate_id = ?").get(certificateId) as unknown as OperationRow | undefined;
  }

  putOperation(op: OperationRow): void {
    this.sql.get(
      `INSERT OR REPLACE INTO certificate_operations
       (certificate_id, request_id, status, status_details, cancellation_requested, csr, private_key, tags, enabled, error, created)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(op.certificate_id, op.request_id, op.status, op.status_details, op.cancellation_requested, op.csr, op.private_key, op.tags, op.enabled, op.error, op.created);
  }

  removeOperation(certificateId: number): void {
    this.sql.get("DELETE FROM certificate_operations WHERE certificate_id = ?").run(certificateId);
  }
}
