/**
 * The Key Vault REST API of this origin, as the console uses it: a bearer token in a header
 * (never a cookie), JSON in and out, and Key Vault's own error message when it refuses.
 */
export const API_VERSION = "7.5";

export interface Attributes {
  enabled?: boolean;
  nbf?: number;
  exp?: number;
  created?: number;
  updated?: number;
  recoveryLevel?: string;
}

export interface SecretItem {
  id: string;
  attributes: Attributes;
  tags?: Record<string, string>;
  contentType?: string;
  managed?: boolean;
}

export interface DeletedSecretItem extends SecretItem {
  recoveryId?: string;
  deletedDate?: number;
  scheduledPurgeDate?: number;
}

export interface SecretProperties {
  attributes?: Pick<Attributes, "enabled" | "nbf" | "exp">;
  tags?: Record<string, string>;
  contentType?: string;
}

/** A refusal from the server, with Key Vault's message (a 403 names the missing permission). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type TokenSource = () => string | undefined;

export class VaultApi {
  constructor(private readonly token: TokenSource) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = path.startsWith("https://") ? path : `${path}${path.includes("?") ? "&" : "?"}api-version=${API_VERSION}`;
    const headers: Record<string, string> = { authorization: `Bearer ${this.token() ?? ""}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), cache: "no-store" });
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ApiError(response.status, error?.code ?? String(response.status), error?.message ?? `The server answered ${response.status}.`);
    }
    return json as T;
  }

  /** Every page of a list: the console searches and sorts on the client, Key Vault lists have no filter. */
  private async all<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let next: string | null | undefined = `${path}?maxresults=25`;
    while (next) {
      // nextLink is absolute; it must stay on this origin, where the token belongs.
      if (next.startsWith("https://") && new URL(next).origin !== location.origin) throw new ApiError(0, "BadNextLink", "The server sent a next page on another origin.");
      const page: { value: T[]; nextLink?: string | null } = await this.call("GET", next);
      items.push(...page.value);
      next = page.nextLink;
    }
    return items;
  }

  listSecrets = () => this.all<SecretItem>("/secrets");
  listVersions = (name: string) => this.all<SecretItem>(`/secrets/${enc(name)}/versions`);
  listDeleted = () => this.all<DeletedSecretItem>("/deletedsecrets");
  getValue = async (name: string, version: string) => (await this.call<{ value: string }>("GET", `/secrets/${enc(name)}/${enc(version)}`)).value;
  setSecret = (name: string, value: string, properties: SecretProperties) => this.call<SecretItem>("PUT", `/secrets/${enc(name)}`, { value, ...properties });
  update = (name: string, version: string, properties: SecretProperties) => this.call<SecretItem>("PATCH", `/secrets/${enc(name)}/${enc(version)}`, properties);
  remove = (name: string) => this.call<DeletedSecretItem>("DELETE", `/secrets/${enc(name)}`);
  recover = (name: string) => this.call<SecretItem>("POST", `/deletedsecrets/${enc(name)}/recover`);
  purge = (name: string) => this.call<void>("DELETE", `/deletedsecrets/${enc(name)}`);
  backup = async (name: string) => (await this.call<{ value: string }>("POST", `/secrets/${enc(name)}/backup`)).value;
  restore = (blob: string) => this.call<SecretItem>("POST", "/secrets/restore", { value: blob });
}

const enc = encodeURIComponent;

/** `https://vault/secrets/NAME[/VERSION]` → its name and version. */
export function parseId(id: string): { name: string; version: string } {
  const parts = new URL(id).pathname.split("/");
  return { name: decodeURIComponent(parts[2] ?? ""), version: decodeURIComponent(parts[3] ?? "") };
}

/** Enabled, not yet valid, or expired: what the list shows at a glance. */
export function status(attributes: Attributes, nowSeconds = Date.now() / 1000): "enabled" | "disabled" | "expired" | "not yet valid" {
  if (attributes.enabled === false) return "disabled";
  if (attributes.exp !== undefined && attributes.exp <= nowSeconds) return "expired";
  if (attributes.nbf !== undefined && attributes.nbf > nowSeconds) return "not yet valid";
  return "enabled";
}

export function formatDate(seconds: number | undefined): string {
  return seconds === undefined ? "—" : new Date(seconds * 1000).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}
