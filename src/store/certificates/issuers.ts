import { InvalidValueError, NotFoundError } from "../../core/errors.js";
import { assertValidName } from "../../core/rules.js";
import type { VaultCore } from "../vault-core.js";
import type { CertificateContact, IssuerInput, StoredIssuer } from "./types.js";

const CONTACTS_KEY = "certificate-contacts";
const MAX_CONTACTS = 100;

interface IssuerRow {
  name_key: string;
  name: string;
  body: string;
  password: Uint8Array | null;
  created: number;
  updated: number;
}

type IssuerBody = Omit<StoredIssuer, "name" | "hasPassword" | "created" | "updated">;

/**
 * The vault's certificate contacts and issuers (`vault.certificates.issuers`): stored and
 * answered as Key Vault does, used by no renewal here (this vault talks to no CA). An issuer's
 * password is sealed apart from its JSON and never handed out.
 */
export class CertificateIssuers {
  readonly #core: VaultCore;

  constructor(core: VaultCore) {
    this.#core = core;
  }

  /** The contacts, or undefined when none were set (Key Vault answers 404 then). */
  getContacts(): CertificateContact[] | undefined {
    const row = this.#core.read(() => this.#core.sql.get("SELECT value FROM meta WHERE key = ?").get(CONTACTS_KEY)) as { value: Uint8Array } | undefined;
    return row === undefined ? undefined : (JSON.parse(Buffer.from(row.value).toString("utf8")) as CertificateContact[]);
  }

  setContacts(contacts: unknown): CertificateContact[] {
    const list = checkContacts(contacts);
    this.#core.write(() => {
      this.#core.sql.get("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").run(CONTACTS_KEY, Buffer.from(JSON.stringify(list), "utf8"));
    });
    return list;
  }

  /** Returns what was deleted; undefined when there was nothing. */
  deleteContacts(): CertificateContact[] | undefined {
    return this.#core.write(() => {
      const contacts = this.getContacts();
      this.#core.sql.get("DELETE FROM meta WHERE key = ?").run(CONTACTS_KEY);
      return contacts;
    });
  }

  getIssuer(name: string): StoredIssuer {
    assertValidName(name, "issuer");
    const row = this.#core.read(() => this.#row(name.toLowerCase()));
    if (!row) throw issuerNotFound(name);
    return toIssuer(row);
  }

  listIssuers(): StoredIssuer[] {
    const rows = this.#core.read(() => this.#core.sql.get("SELECT * FROM certificate_issuers ORDER BY name_key").all()) as unknown as IssuerRow[];
    return rows.map(toIssuer);
  }

  /** PUT replaces the issuer; PATCH (`merge`) keeps what the input leaves out. */
  setIssuer(name: string, input: IssuerInput, merge = false): StoredIssuer {
    assertValidName(name, "issuer");
    const nameKey = name.toLowerCase();
    return this.#core.write(() => {
      const now = this.#core.now();
      const existing = this.#row(nameKey);
      if (merge && !existing) throw issuerNotFound(name);
      const before: Partial<IssuerBody> = existing && merge ? (JSON.parse(existing.body) as IssuerBody) : {};
      const provider = input.provider ?? before.provider;
      if (typeof provider !== "string" || provider === "") {
        throw new InvalidValueError("An issuer needs a provider (for example DigiCert or GlobalSign).", { statusCode: 400, serviceCode: "BadParameter" });
      }
      const body: IssuerBody = { provider, enabled: input.attributes?.enabled ?? before.enabled ?? true };
      const accountId = input.credentials?.account_id ?? before.accountId;
      if (accountId !== undefined) body.accountId = accountId;
      const orgDetails = input.org_details ?? before.orgDetails;
      if (orgDetails !== undefined) body.orgDetails = orgDetails;
      const pwd = input.credentials?.pwd;
      const password = pwd === undefined ? (merge ? (existing?.password ?? null) : null) : this.#core.values.seal(pwd, `issuer:${nameKey}`, "pwd");
      this.#core.sql
        .get("INSERT OR REPLACE INTO certificate_issuers (name_key, name, body, password, created, updated) VALUES (?, ?, ?, ?, ?, ?)")
        .run(nameKey, existing?.name ?? name, JSON.stringify(body), password, existing?.created ?? now, now);
      return toIssuer(this.#row(nameKey)!);
    });
  }

  deleteIssuer(name: string): StoredIssuer {
    assertValidName(name, "issuer");
    return this.#core.write(() => {
      const row = this.#row(name.toLowerCase());
      if (!row) throw issuerNotFound(name);
      this.#core.sql.get("DELETE FROM certificate_issuers WHERE name_key = ?").run(row.name_key);
      return toIssuer(row);
    });
  }

  #row(nameKey: string): IssuerRow | undefined {
    return this.#core.sql.get("SELECT * FROM certificate_issuers WHERE name_key = ?").get(nameKey) as unknown as IssuerRow | undefined;
  }
}

function toIssuer(row: IssuerRow): StoredIssuer {
  const body = JSON.parse(row.body) as IssuerBody;
  return { name: row.name, ...body, hasPassword: row.password !== null, created: row.created, updated: row.updated };
}

function issuerNotFound(name: string): NotFoundError {
  return new NotFoundError("certificate", `Issuer not found: ${name}`, { objectName: name, statusCode: 404, serviceCode: "CertificateIssuerNotFound" });
}

function checkContacts(input: unknown): CertificateContact[] {
  const bad = (why: string) => new InvalidValueError(`Property contacts has invalid value: ${why}`, { statusCode: 400, serviceCode: "BadParameter" });
  if (!Array.isArray(input)) throw bad("it must be a list.");
  if (input.length > MAX_CONTACTS) throw bad(`at most ${MAX_CONTACTS} contacts.`);
  return input.map((entry: unknown) => {
    if (typeof entry !== "object" || entry === null) throw bad("each contact is an object.");
    const contact: CertificateContact = {};
    for (const field of ["email", "name", "phone"] as const) {
      const value = (entry as Record<string, unknown>)[field];
      if (value === undefined || value === null) continue;
      if (typeof value !== "string" || value.length > 256) throw bad(`${field} must be a string of at most 256 characters.`);
      contact[field] = value;
    }
    if (contact.email === undefined && contact.phone === undefined && contact.name === undefined) throw bad("a contact needs an email, name or phone.");
    return contact;
  });
}
