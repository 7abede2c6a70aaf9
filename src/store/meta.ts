import type { Statements } from "./statements.js";

/** The vault's own facts (the key-check marker), apart from any kind of object. */
export class MetaTable {
  readonly #sql: Statements;

  constructor(sql: Statements) {
    this.#sql = sql;
  }

  value(key: string): Uint8Array | undefined {
    return (this.#sql.get("SELECT value FROM meta WHERE key = ?").get(key) as { value: Uint8Array } | undefined)?.value;
  }

  insert(key: string, value: Uint8Array): void {
    this.#sql.get("INSERT INTO meta (key, value) VALUES (?, ?)").run(key, value);
  }
}
