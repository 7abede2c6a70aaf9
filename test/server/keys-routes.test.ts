import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BUILT_IN_ROLES, findRole, roleGrants } from "../../src/server/identity/roles.js";
import { KeyVaultHttpError } from "../../src/server/errors.js";
import { pathSegments } from "../../src/server/handler.js";
import { matchRoute } from "../../src/server/routes/table.js";

/**
 * The keys route table (docs/keyvault-wire.md §9.1) and the data action each route names, then
 * which built-in role grants which route. Expectations are written out from Azure's definitions
 * (fact sheet §12), not computed from src/server/identity/roles.ts.
 */

const V = "0123456789abcdef0123456789abcdef";

function match(method: string, path: string) {
  return matchRoute(method, pathSegments(path));
}

function statusOf(method: string, path: string): number {
  try {
    match(method, path);
    return 200;
  } catch (error) {
    assert.ok(error instanceof KeyVaultHttpError);
    return error.status;
  }
}

const K = "Microsoft.KeyVault/vaults/keys/";
const P = "Microsoft.KeyVault/vaults/keyrotationpolicies/";

/** [method, path, SDK operation, data action, version the route carries] */
const ROUTES: readonly [string, string, string, string, string | undefined][] = [
  ["POST", "/keys/k1/create", "createKey", `${K}create/action`, undefined],
  ["PUT", "/keys/k1", "importKey", `${K}import/action`, undefined],
  ["GET", "/keys/k1", "getKey", `${K}read`, undefined],
  ["GET", "/keys/k1/", "getKey", `${K}read`, undefined],
  ["GET", `/keys/k1/${V.toUpperCase()}`, "getKey", `${K}read`, V],
  ["PATCH", `/keys/k1/${V}`, "updateKeyProperties", `${K}update/action`, V],
  ["PATCH", "/keys/k1/", "updateKeyProperties", `${K}update/action`, undefined],
  ["GET", "/keys", "listPropertiesOfKeys", `${K}read`, undefined],
  ["GET", "/keys/", "listPropertiesOfKeys", `${K}read`, undefined],
  ["GET", "/keys/k1/versions", "listPropertiesOfKeyVersions", `${K}read`, undefined],
  ["DELETE", "/keys/k1", "beginDeleteKey", `${K}delete`, undefined],
  ["GET", "/deletedkeys", "listDeletedKeys", `${K}read`, undefined],
  ["GET", "/deletedkeys/k1", "getDeletedKey", `${K}read`, undefined],
  ["DELETE", "/deletedkeys/k1", "purgeDeletedKey", `${K}purge/action`, undefined],
  ["POST", "/deletedkeys/k1/recover", "beginRecoverDeletedKey", `${K}recover/action`, undefined],
  ["POST", "/keys/k1/backup", "backupKey", `${K}backup/action`, undefined],
  ["POST", "/keys/restore", "restoreKeyBackup", `${K}restore/action`, undefined],
  ["POST", "/keys/k1/rotate", "rotateKey", `${K}rotate/action`, undefined],
  ["GET", "/keys/k1/rotationpolicy", "getKeyRotationPolicy", `${P}read`, undefined],
  ["PUT", "/keys/k1/rotationpolicy", "updateKeyRotationPolicy", `${P}write`, undefined],
  ["POST", "/rng", "getRandomBytes", "Microsoft.KeyVault/vaults/rng/action", undefined],
  ["POST", `/keys/k1/${V}/encrypt`, "encrypt", `${K}encrypt/action`, V],
  ["POST", `/keys/k1/${V}/decrypt`, "decrypt", `${K}decrypt/action`, V],
  ["POST", `/keys/k1/${V}/sign`, "sign", `${K}sign/action`, V],
  ["POST", `/keys/k1/${V}/verify`, "verify", `${K}verify/action`, V],
  ["POST", `/keys/k1/${V}/wrapkey`, "wrapKey", `${K}wrap/action`, V],
  ["POST", `/keys/k1/${V}/unwrapkey`, "unwrapKey", `${K}unwrap/action`, V],
  // A CryptographyClient built from a versionless id (§9.4).
  ["POST", "/keys/k1//sign", "sign", `${K}sign/action`, undefined],
  ["POST", "/keys/k1//WrapKey", "wrapKey", `${K}wrap/action`, undefined],
];

describe("keys routes", () => {
  for (const [method, path, name, action, version] of ROUTES) {
    test(`${method} ${path} is ${name}`, () => {
      const matched = match(method, path);
      assert.equal(matched.operation.name, name);
      assert.equal(matched.operation.action, action);
      assert.equal(matched.version, version);
      if (!path.startsWith("/rng") && !/^\/(keys|deletedkeys)\/?$/.test(path) && path !== "/keys/restore") assert.equal(matched.name, "k1");
    });
  }

  test("wrong shapes: 400 for a bad name or version, 404 for unknown words, 405 for a wrong method", () => {
    assert.equal(statusOf("GET", "/keys/bad_name"), 400);
    assert.equal(statusOf("GET", "/keys/k1/not-a-version"), 400);
    assert.equal(statusOf("POST", "/keys/k1/not-a-version/sign"), 400);
    assert.equal(statusOf("POST", `/keys/k1/${V}/frobnicate`), 404);
    assert.equal(statusOf("POST", `/keys/k1/${V}/sign/more`), 404);
    assert.equal(statusOf("POST", `/keys/k1/${V}/release`), 404);
    assert.equal(statusOf("POST", "/deletedkeys/k1/other"), 404);
    assert.equal(statusOf("POST", "/rng/more"), 404);
    assert.equal(statusOf("GET", "/rng"), 405);
    assert.equal(statusOf("GET", "/keys/k1/create"), 405);
    assert.equal(statusOf("GET", `/keys/k1/${V}/sign`), 405);
    assert.equal(statusOf("POST", "/keys/k1"), 405);
    assert.equal(statusOf("DELETE", "/keys/k1/rotationpolicy"), 405);
  });

  test("a 405 names the methods the resource takes", () => {
    try {
      match("POST", "/keys/k1/rotationpolicy");
      assert.fail("no 405");
    } catch (error) {
      assert.ok(error instanceof KeyVaultHttpError);
      assert.equal(error.headers.allow, "GET, PUT");
    }
  });
});

type Route = (typeof ROUTES)[number];
const byName = (name: string): Route => ROUTES.find((r) => r[2] === name)!;

const READS = ["getKey", "listPropertiesOfKeys", "listPropertiesOfKeyVersions", "listDeletedKeys", "getDeletedKey"];
const CRYPTO = ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"];
const ALL_KEYS = [...new Set(ROUTES.map((r) => r[2]))].filter((n) => n !== "getRandomBytes");

/** Which keys operations each role may run (Azure's definitions); every other one is denied. */
const ALLOWED: Record<string, readonly string[]> = {
  "Key Vault Administrator": [...ALL_KEYS, "getRandomBytes"],
  "Key Vault Crypto Officer": ALL_KEYS,
  "Key Vault Crypto User": [...READS, "updateKeyProperties", "backupKey", ...CRYPTO],
  "Key Vault Crypto Service Encryption User": [...READS, "wrapKey", "unwrapKey"],
  "Key Vault Crypto Service Release User": [],
  // `vaults/*/read` covers keys/read and keyrotationpolicies/read: metadata, no crypto.
  "Key Vault Reader": [...READS, "getKeyRotationPolicy"],
  "Key Vault Certificate User": READS,
  "Key Vault Secrets Officer": [],
  "Key Vault Secrets User": [],
  "Key Vault Certificates Officer": [],
  "Key Vault Contributor": [],
  "Key Vault Data Access Administrator": [],
};

describe("keys data actions per built-in role", () => {
  test("every built-in role is in the matrix", () => {
    assert.deepEqual(BUILT_IN_ROLES.map((r) => r.name).sort(), Object.keys(ALLOWED).sort());
  });
  for (const [roleName, allowed] of Object.entries(ALLOWED)) {
    test(roleName, () => {
      const role = findRole(roleName);
      assert.ok(role, roleName);
      for (const op of [...ALL_KEYS, "getRandomBytes"]) {
        const action = byName(op)[3];
        assert.equal(roleGrants(role, action), allowed.includes(op), `${roleName} on ${op} (${action})`);
      }
    });
  }
});
