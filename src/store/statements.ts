import type { DatabaseSync, StatementSync } from "./sqlite.js";

/**
 * The vault's SQL statements, prepared on first use only and shared by every kind's queries:
 * opening a vault for one `get` prepares the two or three statements that `get` needs, not all.
 */
export class Statements {
  readonly #db: DatabaseSync;
  readonly #cache = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  get(sql: string): StatementSync {
    let statement = this.#cache.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#cache.set(sql, statement);
    }
    return statement;
  }
}
