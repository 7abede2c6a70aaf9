import { isNotFoundError } from "../../core/errors.js";
import { isValidName, isVersionId } from "../../core/rules.js";
import { parseRestore } from "../body.js";
import { invalidName, invalidVersion, KeyVaultHttpError, notFound } from "../errors.js";
import { listPage } from "../paging.js";
import { matchDeleted, ok, only, route, type MatchedRoute, type Operation, type RouteContext } from "./route.js";
import { parseAttributes, parseCancel, parseContacts, parseCreate, parseImport, parseIssuer, parseMerge } from "./certificates-body.js";
import {
  acceptedOperationJson,
  certificateBundle,
  certificateItem,
  contactsJson,
  deletedCertificateBundle,
  deletedCertificateItem,
  issuerItem,
  issuerJson,
  operationJson,
  pendingCertificateBundle,
  policyJson,
} from "./certificates-wire.js";

/** The data actions of docs/keyvault-wire.md §12 (Certificates Officer: certificates/*, certificatecas/*, certificatecontacts/write). */
const ACTION = "Microsoft.KeyVault/vaults/certificates/";
const CAS = "Microsoft.KeyVault/vaults/certificatecas/";
const CONTACTS = "Microsoft.KeyVault/vaults/certificatecontacts/";

/** Words after `/certificates/` that are collection-wide operations, not certificate names (Key Vault reserves them too). */
const RESERVED = new Set(["contacts", "issuers", "restore"]);

/**
 * `/certificates/...` (routes/table.ts dispatches here). Path words compare case-insensitively;
 * "latest" reads and updates may end in a slash, as the SDK sends them.
 */
export function matchCertificates(method: string, [name, third, fourth, ...rest]: readonly string[]): MatchedRoute {
  if (name === undefined || (name === "" && third === undefined)) return only(method, ["GET"], operations.listCertificates, "");
  const first = name.toLowerCase();
  if (RESERVED.has(first)) return matchCollectionWide(method, first, third, fourth, rest);
  if (!isValidName(name)) throw invalidName(name);
  if (rest.length > 0) throw notFound();
  if (third === undefined) {
    if (method === "DELETE") return route(operations.deleteCertificate, name);
    if (method === "PATCH") return route(operations.updateCertificate, name);
    return only(method, ["GET", "PATCH", "DELETE"], operations.getCertificate, name);
  }
  const word = third.toLowerCase();
  if (word === "pending") {
    if (fourth !== undefined) {
      if (fourth.toLowerCase() === "merge") return only(method, ["POST"], operations.mergeCertificate, name);
      throw notFound();
    }
    if (method === "PATCH") return route(operations.cancelOperation, name);
    if (method === "DELETE") return route(operations.deleteOperation, name);
    return only(method, ["GET", "PATCH", "DELETE"], operations.getOperation, name);
  }
  if (fourth !== undefined) throw notFound();
  if (word === "create") return only(method, ["POST"], operations.createCertificate, name);
  if (word === "import") return only(method, ["POST"], operations.importCertificate, name);
  if (word === "versions") return only(method, ["GET"], operations.listCertificateVersions, name);
  if (word === "backup") return only(method, ["POST"], operations.backupCertificate, name);
  if (word === "policy") {
    if (method === "PATCH") return route(operations.updatePolicy, name);
    return only(method, ["GET", "PATCH"], operations.getPolicy, name);
  }
  if (third !== "" && !isVersionId(third)) throw invalidVersion(third);
  const version = third === "" ? undefined : third.toLowerCase();
  if (method === "PATCH") return route(operations.updateCertificate, name, version);
  return only(method, ["GET", "PATCH"], operations.getCertificate, name, version);
}

function matchCollectionWide(method: string, word: string, third: string | undefined, fourth: string | undefined, rest: readonly string[]): MatchedRoute {
  if (rest.length > 0 || fourth !== undefined) throw notFound();
  if (word === "restore") {
    if (third !== undefined) throw notFound();
    return only(method, ["POST"], operations.restoreCertificate, "");
  }
  if (word === "contacts") {
    if (third !== undefined) throw notFound();
    if (method === "PUT") return route(operations.setContacts, "");
    if (method === "DELETE") return route(operations.deleteContacts, "");
    return only(method, ["GET", "PUT", "DELETE"], operations.getContacts, "");
  }
  if (third === undefined || third === "") return only(method, ["GET"], operations.listIssuers, "");
  if (!isValidName(third)) throw invalidName(third);
  if (method === "PUT") return route(operations.setIssuer, third);
  if (method === "PATCH") return route(operations.updateIssuer, third);
  if (method === "DELETE") return route(operations.deleteIssuer, third);
  return only(method, ["GET", "PUT", "PATCH", "DELETE"], operations.getIssuer, third);
}

/** AutoRenew falls due on the vault's clock; a read first lets due renewals happen (one index seek when none is). */
async function renewed(c: RouteContext) {
  await c.store.certificates.renewDue();
  return c.store.certificates;
}

/** Every certificates operation of docs/keyvault-wire.md §10.1, as store calls. */
export const operations = {
  createCertificate: {
    name: "beginCreateCertificate",
    action: `${ACTION}create/action`,
    async run(c) {
      const op = await c.store.certificates.createCertificate(c.name, parseCreate(await c.json()));
      return { status: 202, body: acceptedOperationJson(c.origin, op) };
    },
  },
  getOperation: {
    name: "getCertificateOperation",
    action: `${ACTION}read`,
    run: (c) => ok(operationJson(c.origin, c.store.certificates.getCertificateOperation(c.name))),
  },
  cancelOperation: {
    name: "cancelCertificateOperation",
    action: `${ACTION}update/action`,
    async run(c) {
      parseCancel(await c.json());
      return ok(operationJson(c.origin, c.store.certificates.cancelCertificateOperation(c.name)));
    },
  },
  deleteOperation: {
    name: "deleteCertificateOperation",
    action: `${ACTION}delete`,
    run: (c) => ok(operationJson(c.origin, c.store.certificates.deleteCertificateOperation(c.name))),
  },
  mergeCertificate: {
    name: "mergeCertificate",
    action: `${ACTION}create/action`,
    async run(c) {
      const { x5c, attributes } = parseMerge(await c.json());
      return { status: 201, body: certificateBundle(c.origin, c.store.certificates.mergeCertificate(c.name, x5c, attributes), true) };
    },
  },
  getCertificate: {
    name: "getCertificate",
    action: `${ACTION}read`,
    async run(c) {
      const store = await renewed(c);
      try {
        return ok(certificateBundle(c.origin, store.getCertificate(c.name, c.version), c.version === undefined));
      } catch (error) {
        if (c.version !== undefined || !isNotFoundError(error)) throw error;
        // No version yet: the pending bundle if an operation stands, else the first not-found.
        try {
          return ok(pendingCertificateBundle(c.origin, store.getPendingCertificate(c.name)));
        } catch {
          throw error;
        }
      }
    },
  },
  updateCertificate: {
    name: "updateCertificateProperties",
    action: `${ACTION}update/action`,
    async run(c) {
      const update = parseAttributes(await c.json());
      return ok(certificateBundle(c.origin, c.store.certificates.updateCertificateProperties(c.name, c.version, update), true));
    },
  },
  getPolicy: {
    name: "getCertificatePolicy",
    action: `${ACTION}read`,
    run: (c) => ok(policyJson(c.origin, c.name, c.store.certificates.getCertificatePolicy(c.name))),
  },
  updatePolicy: {
    name: "updateCertificatePolicy",
    action: `${ACTION}update/action`,
    async run(c) {
      const policy = c.store.certificates.updateCertificatePolicy(c.name, await c.json());
      return ok(policyJson(c.origin, c.name, policy));
    },
  },
  importCertificate: {
    name: "importCertificate",
    action: `${ACTION}import/action`,
    async run(c) {
      return ok(certificateBundle(c.origin, c.store.certificates.importCertificate(c.name, parseImport(await c.json())), true));
    },
  },
  listCertificates: {
    name: "listPropertiesOfCertificates",
    action: `${ACTION}read`,
    async run(c) {
      const store = await renewed(c);
      const includePending = c.query.get("includePending")?.toLowerCase() === "true";
      return ok(listPage(c, "/certificates", (page) => store.listCertificates({ ...page, includePending }), (cert) => certificateItem(c.origin, cert, false)));
    },
  },
  listCertificateVersions: {
    name: "listPropertiesOfCertificateVersions",
    action: `${ACTION}read`,
    async run(c) {
      const store = await renewed(c);
      return ok(listPage(c, `/certificates/${c.name}/versions`, (page) => store.listCertificateVersions(c.name, page), (cert) => certificateItem(c.origin, cert, true)));
    },
  },
  deleteCertificate: {
    name: "beginDeleteCertificate",
    action: `${ACTION}delete`,
    run: (c) => ok(deletedCertificateBundle(c.origin, c.store.certificates.deleteCertificate(c.name))),
  },
  getDeletedCertificate: {
    name: "getDeletedCertificate",
    action: `${ACTION}read`,
    run: (c) => ok(deletedCertificateBundle(c.origin, c.store.certificates.getDeletedCertificate(c.name))),
  },
  listDeletedCertificates: {
    name: "listDeletedCertificates",
    action: `${ACTION}read`,
    run: (c) => ok(listPage(c, "/deletedcertificates", (page) => c.store.certificates.listDeletedCertificates(page), (cert) => deletedCertificateItem(c.origin, cert))),
  },
  purgeDeletedCertificate: {
    name: "purgeDeletedCertificate",
    action: `${ACTION}purge/action`,
    run(c) {
      c.store.certificates.purgeDeletedCertificate(c.name);
      return { status: 204 };
    },
  },
  recoverDeletedCertificate: {
    name: "beginRecoverDeletedCertificate",
    action: `${ACTION}recover/action`,
    run: (c) => ok(certificateBundle(c.origin, c.store.certificates.recoverDeletedCertificate(c.name), true)),
  },
  backupCertificate: {
    name: "backupCertificate",
    action: `${ACTION}backup/action`,
    run: (c) => ok({ value: c.store.certificates.backupCertificate(c.name).toString("base64url") }),
  },
  restoreCertificate: {
    name: "restoreCertificateBackup",
    action: `${ACTION}restore/action`,
    async run(c) {
      const blob = parseRestore(await c.json());
      return ok(certificateBundle(c.origin, c.store.certificates.restoreCertificateBackup(blob), true));
    },
  },
  getContacts: {
    name: "getContacts",
    action: `${CONTACTS}read`,
    run(c) {
      const contacts = c.store.certificates.issuers.getContacts();
      if (contacts === undefined) throw contactsNotFound();
      return ok(contactsJson(c.origin, contacts));
    },
  },
  setContacts: {
    name: "setContacts",
    action: `${CONTACTS}write`,
    async run(c) {
      return ok(contactsJson(c.origin, c.store.certificates.issuers.setContacts(parseContacts(await c.json()))));
    },
  },
  deleteContacts: {
    name: "deleteContacts",
    action: `${CONTACTS}write`,
    run(c) {
      const contacts = c.store.certificates.issuers.deleteContacts();
      if (contacts === undefined) throw contactsNotFound();
      return ok(contactsJson(c.origin, contacts));
    },
  },
  listIssuers: {
    name: "listPropertiesOfIssuers",
    action: `${CAS}read`,
    run: (c) => ok({ value: c.store.certificates.issuers.listIssuers().map((i) => issuerItem(c.origin, i)), nextLink: null }),
  },
  getIssuer: {
    name: "getIssuer",
    action: `${CAS}read`,
    run: (c) => ok(issuerJson(c.origin, c.store.certificates.issuers.getIssuer(c.name))),
  },
  setIssuer: {
    name: "createIssuer",
    action: `${CAS}write`,
    async run(c) {
      return ok(issuerJson(c.origin, c.store.certificates.issuers.setIssuer(c.name, parseIssuer(await c.json()))));
    },
  },
  updateIssuer: {
    name: "updateIssuer",
    action: `${CAS}write`,
    async run(c) {
      return ok(issuerJson(c.origin, c.store.certificates.issuers.setIssuer(c.name, parseIssuer(await c.json()), true)));
    },
  },
  deleteIssuer: {
    name: "deleteIssuer",
    action: `${CAS}delete`,
    run: (c) => ok(issuerJson(c.origin, c.store.certificates.issuers.deleteIssuer(c.name))),
  },
} satisfies Record<string, Operation>;

function contactsNotFound() {
  return new KeyVaultHttpError(404, "ContactsNotFound", "Contacts not found.");
}

/** `/deletedcertificates/...`: the shape every kind's deleted collection has (route.ts). */
export const matchDeletedCertificates = matchDeleted({
  list: operations.listDeletedCertificates,
  get: operations.getDeletedCertificate,
  purge: operations.purgeDeletedCertificate,
  recover: operations.recoverDeletedCertificate,
});
