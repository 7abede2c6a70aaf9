import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import type { Hono } from "hono";
import { createVaultApp } from "../../src/server/app.js";
import { LocalVault } from "../../src/store/local-vault.js";
import { fuzzRoutes } from "../helpers/route-fuzz.js";
import { assertEnvelope } from "../helpers/server.js";

// Bad input to the certificates routes: Key Vault's status and code in the JSON envelope, never a
// 5xx, and nothing half-made: no certificate, key or secret appears on a refused write.

const AUTH = { authorization: "Bearer token", "content-type": "application/json" };
const Q = "?api-version=7.5";
const SELF = { issuer: { name: "Self" }, x509_props: { subject: "CN=ok" } };

/** Every certificate, key and secret the vault holds, live and deleted, to compare before/after. */
function snapshot(vault: LocalVault): string {
  const names = (page: { items: { name: string; version?: string }[] }) => page.items.map((i) => `${i.name}/${i.version ?? "-"}`);
  return JSON.stringify({
    certificates: names(vault.certificates.listCertificates({ limit: 25, includePending: true })),
    deleted: names(vault.certificates.listDeletedCertificates({ limit: 25 })),
    keys: names(vault.keys.listKeys({ limit: 25 })),
    secrets: names(vault.secrets.listSecrets({ limit: 25 })),
    policy: orNull(() => vault.certificates.getCertificatePolicy("live")),
    issuers: vault.certificates.issuers.listIssuers(),
    contacts: vault.certificates.issuers.getContacts() ?? null,
  });
}

function orNull<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

describe("certificates robustness in-process (app.request)", () => {
  let dir: string;
  let vault: LocalVault;
  let app: Hono;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "orbitra-certs-robust-"));
    vault = LocalVault.open({ path: join(dir, "v.db"), env: {} });
    await vault.certificates.createCertificate("live", { policy: SELF });
    await vault.certificates.createCertificate("pending", { policy: { ...SELF, issuer: { name: "Unknown" } } });
    await vault.certificates.createCertificate("gone", { policy: SELF });
    vault.certificates.deleteCertificate("gone");
    vault.secrets.setSecret("plain-secret", "v");
    app = createVaultApp({ vault, bodyLimit: 64 * 1024 });
  });
  after(() => {
    vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function send(method: string, path: string, body?: string) {
    const response = await app.request(path, { method, body: body ?? null, headers: AUTH });
    return { status: response.status, contentType: response.headers.get("content-type"), text: await response.text() };
  }

  it("answers malformed certificates requests with Key Vault's status and code, and writes nothing", async () => {
    const j = JSON.stringify;
    const keyPem = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const create = `/certificates/new-cert/create${Q}`;
    const imp = `/certificates/new-cert/import${Q}`;
    const cases: [string, string, string | undefined, number, string][] = [
      ["POST", create, "{not json", 400, "BadParameter"],
      ["POST", create, j({ policy: { key_props: { kty: "RSA", key_size: 1000 } } }), 400, "BadParameter"],
      ["POST", create, j({ policy: { key_props: { kty: "EC", crv: "P-999" } } }), 400, "BadParameter"],
      ["POST", create, j({ policy: { x509_props: { subject: "" } } }), 400, "BadParameter"],
      ["POST", create, j({ policy: { x509_props: { subject: "CN=x", validity_months: 0 } } }), 400, "BadParameter"],
      ["POST", create, j({ policy: { x509_props: { subject: "CN=x", sans: { ipAddresses: ["not-an-ip"] } } } }), 400, "BadParameter"],
      ["POST", create, j({ policy: { x509_props: { subject: "CN=x", key_usage: ["everything"] } } }), 400, "BadParameter"],
      ["POST", create, j({ policy: { ...SELF, lifetime_actions: [{ trigger: { lifetime_percentage: 150 }, action: { action_type: "AutoRenew" } }] } }), 400, "BadParameter"],
      ["POST", create, j({ policy: { ...SELF, secret_props: { contentType: "text/plain" } } }), 400, "BadParameter"],
      ["POST", create, j({ policy: "CN=x" }), 400, "BadParameter"],
      ["POST", create, j({ policy: SELF, tags: { a: 1 } }), 400, "BadParameter"],
      ["POST", `/certificates/plain-secret/create${Q}`, j({ policy: SELF }), 409, "Conflict"],
      ["POST", `/certificates/gone/create${Q}`, j({ policy: SELF }), 409, "Conflict"],
      ["POST", `/certificates/pending/create${Q}`, j({ policy: SELF }), 409, "Conflict"],
      ["POST", imp, j({}), 400, "BadParameter"],
      ["POST", imp, j({ value: "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n" }), 400, "BadParameter"],
      ["POST", imp, j({ value: keyPem }), 400, "BadParameter"],
      ["POST", imp, j({ value: "MIIBAAAA" }), 400, "BadParameter"],
      ["POST", imp, j({ value: "!!! not base64 !!!" }), 400, "BadParameter"],
      ["POST", imp, j({ value: vault.secrets.getSecret("live").value.reveal(), pwd: "wrong" }), 400, "BadParameter"],
      ["POST", imp, j({ value: 5 }), 400, "BadParameter"],
      ["POST", `/certificates/pending/pending/merge${Q}`, j({ x5c: ["AAAA"] }), 400, "BadParameter"],
      ["POST", `/certificates/pending/pending/merge${Q}`, j({ x5c: [] }), 400, "BadParameter"],
      ["POST", `/certificates/pending/pending/merge${Q}`, j({ x5c: "AAAA" }), 400, "BadParameter"],
      ["POST", `/certificates/live/pending/merge${Q}`, j({ x5c: ["AAAA"] }), 404, "CertificateNotFound"],
      ["PATCH", `/certificates/pending/pending${Q}`, j({ cancellation_requested: "yes" }), 400, "BadParameter"],
      ["GET", `/certificates/none/pending${Q}`, undefined, 404, "CertificateNotFound"],
      ["PATCH", `/certificates/live/policy${Q}`, j({ key_props: { key_size: 17 } }), 400, "BadParameter"],
      ["PATCH", `/certificates/live/policy${Q}`, j({ x509_props: { validity_months: "12" } }), 400, "BadParameter"],
      ["GET", `/certificates/live/${"0".repeat(32)}${Q}`, undefined, 404, "CertificateNotFound"],
      ["GET", `/certificates/live/nothex${Q}`, undefined, 400, "BadParameter"],
      ["GET", `/certificates/bad_name${Q}`, undefined, 400, "BadParameter"],
      ["GET", `/certificates/live/pending/other${Q}`, undefined, 404, "NotFound"],
      ["POST", `/certificates/restore${Q}`, j({ value: "AAAA" }), 400, "Malformed backup blob"],
      ["POST", `/certificates/restore${Q}`, j({ value: 1 }), 400, "BadParameter"],
      ["DELETE", `/deletedcertificates/live${Q}`, undefined, 404, "CertificateNotFound"],
      ["POST", `/deletedcertificates/none/recover${Q}`, undefined, 404, "CertificateNotFound"],
      ["PUT", `/certificates/contacts${Q}`, j({ contacts: "x" }), 400, "BadParameter"],
      ["PUT", `/certificates/contacts${Q}`, j({ contacts: [{}] }), 400, "BadParameter"],
      ["GET", `/certificates/contacts${Q}`, undefined, 404, "ContactsNotFound"],
      ["PUT", `/certificates/issuers/ca${Q}`, j({}), 400, "BadParameter"],
      ["PATCH", `/certificates/issuers/none${Q}`, j({ provider: "x" }), 404, "CertificateNotFound"],
      ["GET", `/certificates?includePending=true&maxresults=0${Q.replace("?", "&")}`, undefined, 400, "BadParameter"],
      ["POST", `/certificates/live${Q}`, undefined, 405, "MethodNotAllowed"],
    ];
    for (const [method, path, body, status, code] of cases) {
      const before = snapshot(vault);
      const reply = await send(method, path, body);
      const what = `${method} ${path} ${body?.slice(0, 80) ?? ""}`;
      assertEnvelope(reply.status, reply.contentType, reply.text, what);
      assert.equal(reply.status, status, `${what}: ${reply.text}`);
      assert.equal((JSON.parse(reply.text) as { error: { code: string } }).error.code, code, what);
      assert.equal(snapshot(vault), before, `${what} changed the vault`);
    }
  });

  it("survives generated certificates requests (property-based, bounded): envelope on every error, nothing written by errors", async () => {
    const segment = fc.oneof(
      fc.constantFrom("certificates", "Certificates", "deletedcertificates", "create", "import", "pending", "merge", "policy", "versions", "backup", "restore", "recover"),
      fc.constantFrom("contacts", "issuers", "live", "pending", "gone", "plain-secret", "", "..", "%2F", "%00", "%ZZ", "0".repeat(32)),
      fc.string({ maxLength: 12 }).map(encodeURIComponent),
    );
    const path = fc.oneof(
      fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join("/")}`),
      fc.constantFrom("/certificates/live/", "/certificates/pending/", "/certificates/new/").chain((p) => segment.map((s) => `${p}${s}`)),
    );
    const query = fc.constantFrom(Q, "", "?api-version=", "?api-version=7.4&maxresults=-1", "?api-version=2025-07-01&includePending=true&$skiptoken=%%%");
    const b64 = fc.oneof(fc.uint8Array({ maxLength: 70 }).map((b) => Buffer.from(b).toString("base64")), fc.string({ maxLength: 12 }), fc.integer(), fc.constant(null));
    const policy = fc.record(
      {
        key_props: fc.oneof(fc.record({ kty: fc.constantFrom("RSA", "EC", "oct", 5), key_size: fc.constantFrom(2048, 256, 1, -1), crv: fc.constantFrom("P-256", "P-999", 1), exportable: fc.anything({ maxDepth: 0 }) }, { requiredKeys: [] }), fc.anything({ maxDepth: 1 })),
        secret_props: fc.anything({ maxDepth: 1 }),
        x509_props: fc.oneof(fc.record({ subject: fc.oneof(fc.constantFrom("CN=a", "", "not a dn", "CN="), fc.string({ maxLength: 10 })), validity_months: fc.oneof(fc.integer({ min: -2, max: 2000 }), fc.double()), sans: fc.anything({ maxDepth: 2 }), ekus: fc.anything({ maxDepth: 1 }), key_usage: fc.anything({ maxDepth: 1 }) }, { requiredKeys: [] }), fc.anything({ maxDepth: 1 })),
        issuer: fc.oneof(fc.record({ name: fc.constantFrom("Self", "Unknown", "", "bad name", 3) }, { requiredKeys: [] }), fc.anything({ maxDepth: 1 })),
        lifetime_actions: fc.anything({ maxDepth: 3 }),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 40 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            policy,
            value: b64,
            pwd: fc.anything({ maxDepth: 0 }),
            x5c: fc.oneof(fc.array(b64, { maxLength: 3 }), fc.anything({ maxDepth: 1 })),
            cancellation_requested: fc.anything({ maxDepth: 0 }),
            contacts: fc.anything({ maxDepth: 2 }),
            provider: fc.anything({ maxDepth: 0 }),
            credentials: fc.anything({ maxDepth: 1 }),
            attributes: fc.anything({ maxDepth: 1 }),
            tags: fc.anything({ maxDepth: 1 }),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
    );
    await fuzzRoutes({ path, query, body }, send, () => snapshot(vault));
  });
});
