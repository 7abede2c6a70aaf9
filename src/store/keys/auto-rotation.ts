import { generateKeySync, type KeySpec } from "../../crypto/key-generate.js";
import type { KeyMaterial } from "../../crypto/key-material.js";
import { isVaultLocked } from "../errors.js";
import type { VaultCore } from "../vault-core.js";
import type { KeyTable } from "./queries.js";
import { parseStoredPolicy, rotationDue } from "./rotation-policy.js";
import type { KeyVersionFields, KeyVersionRow } from "./rows.js";

/** Inside a write: adds the rotated version of `latest`, made with `material`, at `now`. */
export type InsertRotated = (latest: KeyVersionRow, material: KeyMaterial, now: number) => void;

/**
 * Auto-rotation on read, like purging: at most once per clock second, before a read answers, every
 * live key whose policy's Rotate time has passed gets its new version. There is no timer to own (a
 * CLI run lasts milliseconds, a server shares the file with other processes), and a test moving
 * the injected clock sees the rotation on its next call. Due keys are rare (a trigger is at least
 * 7 days), so the read that finds one pays for a key generation on this thread: reads are
 * synchronous, and answering before rotating would hand out a version the policy retired.
 */
export class AutoRotation {
  readonly #core: VaultCore;
  readonly #table: KeyTable;
  readonly #insert: InsertRotated;
  #lastCheck = Number.NaN;

  constructor(core: VaultCore, table: KeyTable, insert: InsertRotated) {
    this.#core = core;
    this.#table = table;
    this.#insert = insert;
  }

  rotateIfDue(): void {
    const now = this.#core.now();
    if (now === this.#lastCheck) return;
    this.#lastCheck = now;
    try {
      const due = this.#core.read(() => (this.#table.anyRotationDue(now) ? this.#table.rotationsDue(now) : []));
      for (const { id, name_key } of due) {
        const latest = this.#core.read(() => this.#table.live(name_key));
        if (!latest) continue;
        // Generated before the lock, which stays short; under it the key must still be due and
        // unchanged, or another process (or call) rotated it first and this material is dropped.
        const material = generateKeySync(specOf(latest));
        this.#core.write(() => {
          const current = this.#table.live(name_key);
          if (current?.seq !== latest.seq) return;
          const dueAt = rotationDue(parseStoredPolicy(this.#table.rotationPolicy(id)), current);
          if (dueAt !== null && dueAt <= now) this.#insert(current, material, now);
        });
      }
    } catch (error) {
      // As for purging: a busy file lets the rotation wait for the next read.
      if (!isVaultLocked(error)) throw error;
    }
  }
}

/** The parameters of a stored version, to make another like it (type, size or curve, exponent). */
export function specOf(row: KeyVersionFields): KeySpec {
  const spec: KeySpec = { kty: row.kty };
  if (row.key_size !== null) spec.keySize = row.key_size;
  if (row.crv !== null) spec.crv = row.crv;
  const e = (JSON.parse(row.public_jwk) as { e?: string }).e;
  if (e !== undefined) spec.publicExponent = Number.parseInt(Buffer.from(e, "base64url").toString("hex"), 16);
  return spec;
}
