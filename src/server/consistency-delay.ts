import { deletedObjectNotFound, objectNotFound } from "../core/object-errors.js";

/**
 * `vault serve --consistency-delay MS`: Key Vault's replication lag where clients depend on it. For
 * MS after a delete the secret is not yet under /deletedsecrets/{name} (404 "Deleted Secret not
 * found"), and for MS after a recover it is not yet under /secrets/{name} (404 SecretNotFound), as
 * Azure answers for ~2 s. The SDK's delete and recover pollers, and code that resumes a poller,
 * poll through exactly that window. Keyed by vault and lowercase name; entries expire by time.
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
    if (operation === "getDeletedSecret" && this.inWindow(this.deleted, vault, name)) throw deletedObjectNotFound("secret", name);
    if (operation === "getSecret" && this.inWindow(this.recovered, vault, name)) throw objectNotFound("secret", name);
  }

  /** Opens a window after a delete or a recover succeeded. */
  record(vault: string, operation: string, name: string): void {
    const key = `${vault}/${name.toLowerCase()}`;
    const until = this.now() + this.delayMs;
    if (operation === "beginDeleteSecret") {
      this.recovered.delete(key);
      this.deleted.set(key, until);
    } else if (operation === "beginRecoverDeletedSecret") {
      this.deleted.delete(key);
      this.recovered.set(key, until);
    }
  }

  private inWindow(windows: Map<string, number>, vault: string, name: string): boolean {
    const key = `${vault}/${name.toLowerCase()}`;
    const until = windows.get(key);
    if (until === undefined) return false;
    if (this.now() < until) return true;
    windows.delete(key);
    return false;
  }
}
