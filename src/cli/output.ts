import type { DeletedSecretProperties, SecretProperties } from "../core/types.js";

/**
 * Properties as JSON-friendly data: ISO dates, no value ever (there is none in properties).
 * `now`: the time to judge expiry by, the vault's where it is known (client.vaultTime()).
 */
export function propertiesToJson(p: SecretProperties | DeletedSecretProperties, { now = Date.now() }: { now?: number } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { name: p.name };
  if (p.version) out.version = p.version;
  out.id = p.id;
  out.enabled = p.enabled;
  if (p.contentType !== undefined) out.contentType = p.contentType;
  out.tags = p.tags;
  if (p.notBefore) out.notBefore = p.notBefore.toISOString();
  if (p.expiresOn) out.expiresOn = p.expiresOn.toISOString();
  // Key Vault still serves an expired secret; saying so spares the reader comparing dates.
  if (p.expiresOn && p.expiresOn.getTime() <= now) out.expired = true;
  out.createdOn = p.createdOn.toISOString();
  out.updatedOn = p.updatedOn.toISOString();
  if (p.recoveryLevel) out.recoveryLevel = p.recoveryLevel;
  if (p.recoverableDays !== undefined) out.recoverableDays = p.recoverableDays;
  if ("recoveryId" in p) {
    out.recoveryId = p.recoveryId;
    out.deletedOn = p.deletedOn.toISOString();
    out.scheduledPurgeDate = p.scheduledPurgeDate.toISOString();
  }
  return out;
}

/** `key: value` lines for a person, aligned, with tags one per line. */
export function propertiesToText(p: SecretProperties | DeletedSecretProperties, judged: { now?: number } = {}): string {
  const data = propertiesToJson(p, judged);
  const rows: [string, string][] = [];
  for (const [key, value] of Object.entries(data)) {
    if (key === "tags") continue;
    rows.push([key, String(value)]);
  }
  for (const [tag, value] of Object.entries(p.tags)) rows.push([`tag ${tag}`, value]);
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join("\n") + "\n";
}

/** One line per version: version, enabled, created, expiry; newest last. */
export function versionsToText(versions: SecretProperties[]): string {
  return versions
    .map((v) =>
      [
        v.version ?? "-",
        v.enabled ? "enabled " : "disabled",
        v.createdOn.toISOString(),
        v.expiresOn ? `expires ${v.expiresOn.toISOString()}` : "",
      ]
        .join("  ")
        .trimEnd(),
    )
    .join("\n") + (versions.length ? "\n" : "");
}

export function deletedToText(deleted: DeletedSecretProperties[]): string {
  return deleted
    .map((d) => `${d.name}  deleted ${d.deletedOn.toISOString()}  purge ${d.scheduledPurgeDate.toISOString()}`)
    .join("\n") + (deleted.length ? "\n" : "");
}

/**
 * Every `--json` document on stdout, whatever the command: indented by two spaces, one newline at
 * the end. Only `vault serve --json` prints a single line, since it is read as a line from a
 * server that keeps running.
 */
export function toJsonLine(data: unknown): string {
  return JSON.stringify(data, null, 2) + "\n";
}

export interface EnvironmentRow {
  name: string;
  default: boolean;
  /** Where the environment's secrets live (a vault URL or the local store's path). */
  vault?: string;
  /** Why the environment cannot be used as configured. */
  problem?: string;
}

/** `* name  vault` lines, the default environment starred. */
export function environmentsToText(rows: EnvironmentRow[]): string {
  const width = Math.max(0, ...rows.map((r) => r.name.length));
  return rows
    .map((r) => `${r.default ? "*" : " "} ${r.name.padEnd(width)}  ${r.vault ?? `(unusable: ${r.problem ?? "unknown"})`}`)
    .join("\n") + (rows.length ? "\n" : "");
}
