import type { ObjectKind } from "../core/errors.js";
import { deletedObjectNotFound, objectNotFound } from "../core/object-errors.js";

/** What each step of the delete / recover dance is called, per kind (the operations' SDK names). */
type Step = "delete" | "recover" | "getDeleted" | "get";

const STEPS: ReadonlyMap<string, { kind: ObjectKind; step: Step }> = new Map(
  (
    [
      ["secret", { delete: "beginDeleteSecret", recover: "beginRecoverDeletedSecret", getDeleted: "getDeletedSecret", get: "getSecret" }],
      ["key", { delete: "beginDeleteKey", recover: "beginRecoverDeletedKey", getDeleted: "getDeletedKey", get: "getKey" }],
    ] as const
  ).flatMap(([kind, names]) => Object.entries(names).map(([step, operation]) => [operation, { kind, step: step as Step }] as const)),
);

/**
 * `vault serve --consistency-delay MS`: Key Vault's replication lag where clients depend on it. For
 * MS after a delete the secret (or key) is not yet under /deletedsecrets/{name} (404 "Deleted
 * Secret not found"), and for MS after a recover it is not yet under /secrets/{name} (404
 * SecretNotFound), as Azure answers for ~2 s. The SDK's delete and recover pollers, and code that
 * resumes a poller, poll through exactly that window. Keyed by kind, vault and lowercase name (a
 * secret and a key may share a name); entries expire by time.
 */
export class ConsistencyWindow {
  private readonly deleted = new Map<string, number>();
  private readonly recovered = new Map<string, number>();

  constructor(
    private readonly delayMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws the 404 Azure gives while `operation` on `name` falls inside a window. */
  check(vault: string, operation: string, name: string): void {
    const found = STEPS.get(operation);
    if (!found) return;
    const key = windowKey(found.kind, vault, name);
    if (found.step === "getDeleted" && this.inWindow(this.deleted, key)) throw deletedObjectNotFound(found.kind, name);
    if (found.step === "get" && this.inWindow(this.recovered, key)) throw objectNotFound(found.kind, name);
  }

  /** Opens a window after a delete or a recover succeeded. */
  record(vault: string, operation: string, name: string): void {
    const found = STEPS.get(operation);
    if (!found) return;
    const key = windowKey(found.kind, vault, name);
    const until = this.now() + this.delayMs;
    if (found.step === "delete") {
      this.recovered.delete(key);
      this.deleted.set(key, until);
    } else if (found.step === "recover") {
      this.deleted.delete(key);
      this.recovered.set(key, until);
    }
  }

  private inWindow(windows: Map<string, number>, key: string): boolean {
    const until = windows.get(key);
    if (until === undefined) return false;
    if (this.now() < until) return true;
    windows.delete(key);
    return false;
  }
}

const windowKey = (kind: ObjectKind, vault: string, name: string): string => `${kind}/${vault}/${name.toLowerCase()}`;
