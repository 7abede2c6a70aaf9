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

// Bad input to the keys routes: Key Vault's status and code, the JSON envelope, never a 5xx, and
// the store exactly as it was (robustness.test.ts does the same for secrets).

const AUTH = { authorization: "Bearer token", "content-type": "application/json" };
const Q = "?api-version=7.5";

/** Every key, version and deleted key, with attributes and public material, to compare before/after. */
function snapshot(vault: LocalVault): string {
  const keys = vault.keys;
  const live = keys.listKeys({ limit: 25 }).items;
  return JSON.stringify({ live, versions: live.map((k) => keys.listKeyVersions(k.name, { limit: 25 }).items), deleted: keys.listDeletedKeys({ limit: 25 }).items });
}

describe("keys robustness in-process (app.request)", () => {
  let dir: string;
  let vault: LocalVault;
  let app: Hono;
  let privateD: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "orbitra-keys-robust-"));
    vault = LocalVault.open({ path: join(dir, "v.db"), env: {} });
    const keys = vault.keys;
    await keys.createKey("rsa", { kty: "RSA", keySize: 2048 });
    await keys.createKey("ec", { kty: "EC", crv: "P-256" });
    // Every operation allowed, so that an algorithm of the wrong family meets the algorithm check.
    await keys.createKey("ec-all", { kty: "EC", crv: "P-256", keyOps: ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"] });
    await keys.createKey("verify-only", { kty: "EC", crv: "P-256", keyOps: ["verify"] });
    await keys.createKey("disabled", { kty: "EC", crv: "P-256", enabled: false });
    await keys.createKey("expired", { kty: "RSA", keySize: 2048, expiresOn: Math.floor(Date.now() / 1000) - 3600 });
    await keys.createKey("future", { kty: "RSA", keySize: 2048, notBefore: Math.floor(Date.now() / 1000) + 86400 });
    await keys.createKey("gone", { kty: "EC" });
    keys.deleteKey("gone");
    privateD = keys.importKey("imported", generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ format: "jwk" })).publicJwk.x!;
    app = createVaultApp({ vault, bodyLimit: 64 * 1024 });
  });
  after(() => {
    vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function send(method: string, path: string, body?: string, headers: Record<string, string> = AUTH) {
    const response = await app.request(path, { method, body: body ?? null, headers });
    return { status: response.status, contentType: response.headers.get("content-type"), text: await response.text() };
  }

  it("answers malformed keys requests with Key Vault's status and code, and changes nothing", async () => {
    const digest32 = Buffer.alloc(32, 1).toString("base64url");
    const rsaJwk = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }) as Record<string, string>;
    const ecJwk = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ format: "jwk" }) as Record<string, string>;
    const j = JSON.stringify;
    const create = `/keys/new-key/create${Q}`;
    const importPath = `/keys/new-key${Q}`;
    const cases: [string, string, string | undefined, number, string][] = [
      // create
      ["POST", create, "{not json", 400, "BadParameter"],
      ["POST", create, "[]", 400, "BadParameter"],
      ["POST", create, j({}), 400, "BadParameter"],
      ["POST", create, j({ kty: "DSA" }), 400, "BadParameter"],
      ["POST", create, j({ kty: 5 }), 400, "BadParameter"],
      ["POST", create, j({ kty: "RSA", key_size: "2048" }), 400, "BadParameter"],
      ["POST", create, j({ kty: "RSA", key_size: 1024 }), 400, "BadParameter"],
      ["POST", create, j({ kty: "RSA", key_size: 2048.5 }), 400, "BadParameter"],
      ["POST", create, j({ kty: "RSA", public_exponent: 4 }), 400, "BadParameter"],
      ["POST", create, j({ kty: "EC", crv: "P-192" }), 400, "BadParameter"],
      ["POST", create, j({ kty: "oct", key_size: 512 }), 400, "BadParameter"],
      ["POST", create, j({ kty: "RSA", key_ops: "sign" }), 400, "BadParameter"],
      ["POST", create, j({ kty: "RSA", key_ops: ["sign", "launch"] }), 400, "BadParameter"],
      ["POST", create, j({ kty: "RSA", attributes: { exportable: "yes" } }), 400, "BadParameter"],
      ["POST", create, j({ kty: "RSA", attributes: { enabled: 1 } }), 400, "BadParameter"],
      ["POST", create, j({ kty: "RSA", attributes: { exp: "soon" } }), 400, "BadParameter"],
      ["POST", create, j({ kty: "RSA", tags: { a: 1 } }), 400, "BadParameter"],
      ["POST", create, j({ kty: "RSA", tags: [] }), 400, "BadParameter"],
      ["POST", `/keys/gone/create${Q}`, j({ kty: "EC" }), 409, "Conflict"],
      ["POST", `/keys/bad_name/create${Q}`, j({ kty: "EC" }), 400, "BadParameter"],
      ["POST", "/keys/new-key/create?api-version=6.0", j({ kty: "EC" }), 400, "BadParameter"],
      // import: malformed and oversize JWKs
      ["PUT", importPath, j({}), 400, "BadParameter"],
      ["PUT", importPath, j({ key: "jwk" }), 400, "BadParameter"],
      ["PUT", importPath, j({ key: [] }), 400, "BadParameter"],
      ["PUT", importPath, j({ key: { kty: "RSA" } }), 400, "BadParameter"],
      ["PUT", importPath, j({ key: { kty: "RSA", n: rsaJwk.n, e: rsaJwk.e } }), 400, "BadParameter"],
      ["PUT", importPath, j({ key: { ...rsaJwk, n: "not base64url!" } }), 400, "BadParameter"],
      ["PUT", importPath, j({ key: { ...rsaJwk, n: "A".repeat(40_000) } }), 400, "BadParameter"],
      ["PUT", importPath, j({ key: { ...rsaJwk, n: 12345 } }), 400, "BadParameter"],
      ["PUT", importPath, j({ key: { ...rsaJwk, kty: "RSA-ish" } }), 400, "BadParameter"],
      ["PUT", importPath, j({ key: { ...rsaJwk, key_ops: ["fly"] } }), 400, "BadParameter"],
      ["PUT", importPath, j({ key: { ...ecJwk, kty: "EC", crv: "P-256", y: ecJwk.x } }), 400, "BadParameter"],
      ["PUT", importPath, j({ key: { ...ecJwk, kty: "EC", crv: "P-384" } }), 400, "BadParameter"],
      ["PUT", importPath, j({ key: { kty: "EC", crv: "P-256", x: ecJwk.x, y: ecJwk.y } }), 400, "BadParameter"],
      ["PUT", importPath, j({ key: { kty: "oct", k: "AAAA" } }), 400, "BadParameter"],
      ["PUT", importPath, j({ key: { ...rsaJwk }, Hsm: "true" }), 400, "BadParameter"],
      ["PUT", importPath, j({ key: { ...rsaJwk, n: "A".repeat(70_000) } }), 413, "RequestEntityTooLarge"],
      ["PUT", `/keys/gone${Q}`, j({ key: ecJwk }), 409, "Conflict"],
      // reads and updates
      ["GET", `/keys/nope${Q}`, undefined, 404, "KeyNotFound"],
      ["GET", `/keys/rsa/${"0".repeat(32)}${Q}`, undefined, 404, "KeyNotFound"],
      ["GET", `/keys/gone${Q}`, undefined, 404, "KeyNotFound"],
      ["GET", `/deletedkeys/rsa${Q}`, undefined, 404, "KeyNotFound"],
      ["GET", `/keys/rsa/nothex${Q}`, undefined, 400, "BadParameter"],
      ["PATCH", `/keys/rsa/${Q}`, j({ key_ops: "all" }), 400, "BadParameter"],
      ["PATCH", `/keys/rsa/${Q}`, j({ attributes: { enabled: "no" } }), 400, "BadParameter"],
      ["PATCH", `/keys/nope/${Q}`, j({}), 404, "KeyNotFound"],
      ["GET", `/keys${Q}&maxresults=26`, undefined, 400, "BadParameter"],
      ["GET", `/keys/rsa/versions${Q}&maxresults=0`, undefined, 400, "BadParameter"],
      ["DELETE", `/keys/nope${Q}`, undefined, 404, "KeyNotFound"],
      ["DELETE", `/deletedkeys/rsa${Q}`, undefined, 404, "KeyNotFound"],
      ["POST", `/deletedkeys/rsa/recover${Q}`, undefined, 404, "KeyNotFound"],
      ["POST", `/keys/nope/backup${Q}`, undefined, 404, "KeyNotFound"],
      ["POST", `/keys/restore${Q}`, j({ value: "!!!" }), 400, "BadParameter"],
      ["POST", `/keys/restore${Q}`, j({ value: "AAAA" }), 400, "Malformed backup blob"],
      ["POST", `/keys/nope/rotate${Q}`, undefined, 404, "KeyNotFound"],
      // rotation policy
      ["GET", `/keys/nope/rotationpolicy${Q}`, undefined, 404, "KeyNotFound"],
      ["PUT", `/keys/rsa/rotationpolicy${Q}`, j({ lifetimeActions: {} }), 400, "BadParameter"],
      ["PUT", `/keys/rsa/rotationpolicy${Q}`, j({ lifetimeActions: [{ trigger: {}, action: { type: "Rotate" } }] }), 400, "BadParameter"],
      ["PUT", `/keys/rsa/rotationpolicy${Q}`, j({ lifetimeActions: [{ trigger: { timeAfterCreate: "P90D", timeBeforeExpiry: "P30D" }, action: { type: "Rotate" } }] }), 400, "BadParameter"],
      ["PUT", `/keys/rsa/rotationpolicy${Q}`, j({ lifetimeActions: [{ trigger: { timeAfterCreate: "P90D" }, action: { type: "Explode" } }] }), 400, "BadParameter"],
      ["PUT", `/keys/rsa/rotationpolicy${Q}`, j({ lifetimeActions: [{ trigger: { timeAfterCreate: 90 }, action: { type: "Rotate" } }] }), 400, "BadParameter"],
      ["PUT", `/keys/rsa/rotationpolicy${Q}`, j({ attributes: { expiryTime: 5 } }), 400, "BadParameter"],
      // crypto: bodies, algorithms against key types, key_ops, disabled, nbf / exp
      ["POST", `/keys/rsa//encrypt${Q}`, j({ alg: "RSA-OAEP" }), 400, "BadParameter"],
      ["POST", `/keys/rsa//encrypt${Q}`, j({ alg: "RSA-OAEP", value: "***" }), 400, "BadParameter"],
      ["POST", `/keys/rsa//encrypt${Q}`, j({ alg: "ROT13", value: "AAAA" }), 400, "BadParameter"],
      ["POST", `/keys/rsa//encrypt${Q}`, j({ alg: "A128GCM", value: "AAAA" }), 400, "BadParameter"],
      ["POST", `/keys/rsa//encrypt${Q}`, j({ alg: "RSA1_5", value: Buffer.alloc(300).toString("base64url") }), 400, "BadParameter"],
      ["POST", `/keys/rsa//decrypt${Q}`, j({ alg: "RSA-OAEP", value: Buffer.alloc(256, 7).toString("base64url") }), 400, "BadParameter"],
      ["POST", `/keys/ec-all//encrypt${Q}`, j({ alg: "RSA-OAEP", value: "AAAA" }), 400, "BadParameter"],
      ["POST", `/keys/ec-all//wrapkey${Q}`, j({ alg: "A128KW", value: "AAAA" }), 400, "BadParameter"],
      ["POST", `/keys/ec//sign${Q}`, j({ alg: "RS256", value: digest32 }), 400, "BadParameter"],
      // An EC key's default key_ops are sign and verify (the store's): encrypt is refused as key_ops refuse.
      ["POST", `/keys/ec//encrypt${Q}`, j({ alg: "RSA-OAEP", value: "AAAA" }), 403, "Forbidden"],
      ["POST", `/keys/rsa//wrapkey${Q}`, j({ alg: "A128GCM", value: "AAAA" }), 400, "BadParameter"],
      ["POST", `/keys/rsa//sign${Q}`, j({ alg: "ES256", value: digest32 }), 400, "BadParameter"],
      ["POST", `/keys/ec//sign${Q}`, j({ alg: "ES384", value: Buffer.alloc(48).toString("base64url") }), 400, "BadParameter"],
      ["POST", `/keys/ec//sign${Q}`, j({ alg: "ES256", value: "AAAA" }), 400, "BadParameter"],
      ["POST", `/keys/ec//sign${Q}`, j({ alg: "ES256" }), 400, "BadParameter"],
      ["POST", `/keys/ec//verify${Q}`, j({ alg: "ES256", digest: digest32 }), 400, "BadParameter"],
      ["POST", `/keys/verify-only//sign${Q}`, j({ alg: "ES256", value: digest32 }), 403, "Forbidden"],
      ["POST", `/keys/disabled//sign${Q}`, j({ alg: "ES256", value: digest32 }), 403, "Forbidden"],
      ["POST", `/keys/expired//sign${Q}`, j({ alg: "RS256", value: digest32 }), 403, "Forbidden"],
      ["POST", `/keys/expired//encrypt${Q}`, j({ alg: "RSA-OAEP", value: digest32 }), 403, "Forbidden"],
      ["POST", `/keys/future//wrapkey${Q}`, j({ alg: "RSA-OAEP", value: digest32 }), 403, "Forbidden"],
      ["POST", `/keys/nope//sign${Q}`, j({ alg: "ES256", value: digest32 }), 404, "KeyNotFound"],
      ["POST", `/keys/gone//sign${Q}`, j({ alg: "ES256", value: digest32 }), 404, "KeyNotFound"],
      ["POST", `/keys/rsa/${"0".repeat(32)}/sign${Q}`, j({ alg: "RS256", value: digest32 }), 404, "KeyNotFound"],
      ["POST", `/keys/rsa//frobnicate${Q}`, j({}), 404, "NotFound"],
      ["GET", `/keys/rsa//sign${Q}`, undefined, 405, "MethodNotAllowed"],
      // random bytes
      ["POST", `/rng${Q}`, j({}), 400, "BadParameter"],
      ["POST", `/rng${Q}`, j({ count: 0 }), 400, "BadParameter"],
      ["POST", `/rng${Q}`, j({ count: 129 }), 400, "BadParameter"],
      ["POST", `/rng${Q}`, j({ count: "8" }), 400, "BadParameter"],
      ["POST", `/rng${Q}`, j({ count: 2.5 }), 400, "BadParameter"],
    ];
    for (const [method, path, body, status, code] of cases) {
      const before = snapshot(vault);
      const reply = await send(method, path, body);
      // Long base64url members shortened, so the message says which case it is.
      const what = `${method} ${path} ${body?.replace(/[\w-]{24,}/g, "…").slice(0, 120) ?? ""}`;
      assert.equal(reply.status, status, `${what}: ${reply.text.slice(0, 200)}`);
      assertEnvelope(reply.status, reply.contentType, reply.text, what);
      assert.equal(JSON.parse(reply.text).error.code, code, what);
      assert.equal(snapshot(vault), before, `${what} changed the store`);
      for (const secret of [rsaJwk.d, rsaJwk.p, ecJwk.d]) assert.ok(!reply.text.includes(secret!), `${what}: a private member in the reply`);
    }
    assert.ok(privateD);
  });

  it("names Key Vault's inner codes: KeyDisabled, ObjectIsDeletedButRecoverable", async () => {
    const disabled = await send("POST", `/keys/disabled//sign${Q}`, JSON.stringify({ alg: "ES256", value: Buffer.alloc(32).toString("base64url") }));
    assert.equal(JSON.parse(disabled.text).error.innererror?.code, "KeyDisabled");
    const deleted = await send("POST", `/keys/gone/create${Q}`, JSON.stringify({ kty: "EC" }));
    assert.equal(JSON.parse(deleted.text).error.innererror?.code, "ObjectIsDeletedButRecoverable");
  });

  it("lets a disabled or expired key still verify, decrypt and unwrap what it protected (as Key Vault does)", async () => {
    const digest = Buffer.alloc(32, 2).toString("base64url");
    const verify = await send("POST", `/keys/disabled//verify${Q}`, JSON.stringify({ alg: "ES256", digest, value: Buffer.alloc(64).toString("base64url") }));
    assert.equal(verify.status, 200, verify.text);
    assert.deepEqual(JSON.parse(verify.text), { value: false });
  });

  it("survives generated keys requests (property-based, bounded): envelope on every error, store untouched by errors", async () => {
    const segment = fc.oneof(
      fc.constantFrom("keys", "Keys", "deletedkeys", "rng", "create", "restore", "backup", "rotate", "rotationpolicy", "versions", "recover"),
      fc.constantFrom("encrypt", "decrypt", "sign", "verify", "wrapkey", "unwrapkey", "release", "rsa", "ec", "gone", "disabled", "", "..", "%2F", "%00", "%ZZ", "0".repeat(32)),
      fc.string({ maxLength: 12 }).map(encodeURIComponent),
    );
    const path = fc.oneof(
      fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join("/")}`),
      fc.constantFrom("/keys/rsa//", "/keys/ec//", "/keys/rsa/", "/keys/ec/").chain((p) => segment.map((s) => `${p}${s}`)),
    );
    const query = fc.constantFrom(Q, "", "?api-version=", "?api-version=7.4&maxresults=-1", "?api-version=2025-07-01&$skiptoken=%%%");
    const b64 = fc.oneof(fc.uint8Array({ maxLength: 70 }).map((b) => Buffer.from(b).toString("base64url")), fc.string({ maxLength: 12 }), fc.integer(), fc.constant(null));
    const body = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 40 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            kty: fc.constantFrom("RSA", "EC", "oct", "oct-HSM", "RSA-HSM", "XX", 5),
            key_size: fc.oneof(fc.constantFrom(128, 2048, 3072, 1024, 0, -1), fc.double()),
            crv: fc.constantFrom("P-256", "P-256K", "P-999", 1),
            key_ops: fc.oneof(fc.array(fc.constantFrom("sign", "verify", "wrapKey", "x")), fc.anything({ maxDepth: 1 })),
            alg: fc.constantFrom("RSA-OAEP", "RSA1_5", "A128GCM", "A256CBC", "A128KW", "ES256", "RS256", "PS512", "HS256", "nope"),
            value: b64,
            digest: b64,
            iv: b64,
            tag: b64,
            aad: b64,
            count: fc.oneof(fc.integer({ min: -2, max: 200 }), fc.string()),
            key: fc.oneof(fc.anything({ maxDepth: 2 }), fc.record({ kty: fc.constantFrom("RSA", "EC", "oct"), n: b64, e: b64, d: b64, x: b64, y: b64, crv: fc.constantFrom("P-256", "P-384"), k: b64 }, { requiredKeys: [] })),
            Hsm: fc.anything({ maxDepth: 0 }),
            lifetimeActions: fc.anything({ maxDepth: 3 }),
            attributes: fc.oneof(fc.record({ enabled: fc.anything({ maxDepth: 0 }), exp: fc.oneof(fc.integer(), fc.double()), exportable: fc.anything({ maxDepth: 0 }), expiryTime: fc.string() }, { requiredKeys: [] }), fc.anything({ maxDepth: 1 })),
            tags: fc.anything({ maxDepth: 1 }),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
    );
    await fuzzRoutes({ path, query, body }, send, () => snapshot(vault));
  });
});
