import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConflictError, InvalidValueError, OrbitraError, PermissionDeniedError, SecretNotFoundError, UnavailableError } from "../../src/core/errors.js";
import { objectNotFound } from "../../src/core/object-errors.js";
import { formatAccessLine } from "../../src/server/access-log.js";
import { checkApiVersion, SUPPORTED_API_VERSIONS } from "../../src/server/api-version.js";
import { bearerToken, challenge } from "../../src/server/auth.js";
import { KeyVaultHttpError, toHttpError } from "../../src/server/errors.js";
import { createFaults } from "../../src/server/faults.js";
import { pathSegments } from "../../src/server/handler.js";
import { nextLink, parseListQuery } from "../../src/server/paging.js";
import { matchRoute as matchSecretsRoute } from "../../src/server/routes/table.js";
import { requestHost, selectVault, type HostedVault } from "../../src/server/vault-host.js";
import type { LocalVault } from "../../src/store/local-vault.js";

function rejects(fn: () => unknown, status: number, code: string, message?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof KeyVaultHttpError, String(error));
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe("api-version", () => {
  it("accepts every version the SDKs send, and well-formed later dates", () => {
    for (const version of SUPPORTED_API_VERSIONS) assert.equal(checkApiVersion(version), version);
    assert.equal(checkApiVersion("2027-01-15"), "2027-01-15");
    assert.equal(checkApiVersion("2026-10-01-preview"), "2026-10-01-preview");
  });

  it("refuses others with Key Vault's 400 BadParameter wording", () => {
    rejects(() => checkApiVersion("6.0"), 400, "BadParameter", /^The specified version \(6\.0\) is not recognized\. Consider using the latest supported version \(2025-07-01\)\.$/);
    for (const bad of ["7.7", "2024-01-01", "2027-02-30", "2027-13-01", "latest", "7.3 ", "2025-07-01x"]) rejects(() => checkApiVersion(bad), 400, "BadParameter");
    rejects(() => checkApiVersion(null), 400, "BadParameter", /missing/);
    rejects(() => checkApiVersion(""), 400, "BadParameter");
  });
});

describe("paging", () => {
  it("maxresults: default 25, 1..25 accepted, anything else 400", () => {
    assert.deepEqual(parseListQuery(new URLSearchParams("")), { page: { limit: 25 } });
    assert.deepEqual(parseListQuery(new URLSearchParams("maxresults=1&$skiptoken=abc")), { page: { limit: 1, after: "abc" }, maxResults: 1 });
    assert.equal(parseListQuery(new URLSearchParams("maxresults=25")).maxResults, 25);
    for (const bad of ["0", "26", "-1", "1.5", "abc", "1e1", " 5", "0x10"]) {
      rejects(() => parseListQuery(new URLSearchParams({ maxresults: bad })), 400, "BadParameter");
    }
  });

  it("nextLink is absolute on the request's origin, keeps api-version and maxresults, encodes the token", () => {
    const link = nextLink("a+b/c=", { origin: "https://127.0.0.1:9443", path: "/secrets", apiVersion: "7.6-preview.2", maxResults: 1 });
    assert.equal(link, "https://127.0.0.1:9443/secrets?api-version=7.6-preview.2&$skiptoken=a%2Bb%2Fc%3D&maxresults=1");
    const parsed = new URL(link!);
    assert.equal(parsed.searchParams.get("$skiptoken"), "a+b/c=");
    assert.equal(nextLink(undefined, { origin: "https://x", path: "/secrets", apiVersion: "7.4" }), null);
    assert.equal(nextLink("t", { origin: "https://x", path: "/deletedsecrets", apiVersion: "7.4" }), "https://x/deletedsecrets?api-version=7.4&$skiptoken=t");
  });
});

describe("bearer challenge (docs/keyvault-wire.md §3.3)", () => {
  it("401 Unauthorized with the SDK-parsable WWW-Authenticate and Key Vault's message", () => {
    const error = challenge();
    assert.equal(error.status, 401);
    assert.deepEqual(JSON.parse(error.body()), { error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer or PoP token." } });
    const header = error.headers["www-authenticate"]!;
    assert.match(header, /^Bearer authorization="https:\/\/login\.microsoftonline\.com\/[0-9a-f-]{36}", resource="https:\/\/vault\.azure\.net"$/);
    // The SDK splits on /,? +/ and keeps only key="value" tokens.
    const parsed = Object.fromEntries(header.slice("Bearer ".length).split(/,? +/).map((p) => p.match(/^(\w+)="(.*)"$/)!.slice(1)));
    assert.equal(new URL(parsed.authorization!).pathname.length, 37);
    assert.equal(parsed.resource, "https://vault.azure.net");
  });

  it("takes a non-empty Bearer token, case-insensitive scheme; refuses none, other schemes, and two tokens", () => {
    assert.equal(bearerToken("Bearer abc.def-ghi_"), "abc.def-ghi_");
    assert.equal(bearerToken("bearer x"), "x");
    for (const bad of [undefined, null, "", "Bearer", "Bearer ", "Basic abc", "Token x", "Bearer a, Bearer b", "Bearer a b", "Bearerx y"]) {
      rejects(() => bearerToken(bad), 401, "Unauthorized");
    }
  });
});

describe("store errors -> Key Vault statuses (docs/keyvault-wire.md §5.2)", () => {
  it("maps each code, keeping the service's sub-code as innererror", () => {
    const cases: [Error, number, string, string | undefined][] = [
      [new SecretNotFoundError("A secret with (name/id) x was not found"), 404, "SecretNotFound", undefined],
      [objectNotFound("key", "k"), 404, "KeyNotFound", undefined],
      [new OrbitraError("SecretNotFound", "made without a kind"), 404, "SecretNotFound", undefined],
      [new PermissionDeniedError("Operation get is not allowed on a disabled secret.", { serviceCode: "SecretDisabled" }), 403, "Forbidden", "SecretDisabled"],
      [new ConflictError("Secret x is currently in a deleted but recoverable state", { serviceCode: "ObjectIsDeletedButRecoverable" }), 409, "Conflict", "ObjectIsDeletedButRecoverable"],
      [new ConflictError("Secret x already exists", { serviceCode: "Conflict" }), 409, "Conflict", undefined],
      [new InvalidValueError("too big"), 400, "BadParameter", undefined],
      [new UnavailableError("locked"), 503, "ServiceUnavailable", undefined],
      [new TypeError("a bug"), 500, "InternalServerError", undefined],
    ];
    for (const [error, status, code, inner] of cases) {
      const http = toHttpError(error);
      assert.equal(http.status, status, code);
      const body = JSON.parse(http.body()) as { error: { code: string; message: string; innererror?: { code: string } } };
      assert.equal(body.error.code, code);
      assert.equal(body.error.innererror?.code, inner);
      if (status < 500) assert.equal(body.error.message, error.message);
    }
    assert.doesNotMatch(toHttpError(new TypeError("value s3cret leaked")).body(), /s3cret/, "a 500 says nothing about its cause");
  });
});

describe("routing", () => {
  const op = (method: string, path: string) => {
    const route = matchSecretsRoute(method, pathSegments(path));
    return [route.operation.name, route.name, route.version];
  };
  const V = "0123456789ABCDEF0123456789abcdef";

  it("every secrets operation, with the SDK's trailing slashes and any casing of path words", () => {
    assert.deepEqual(op("PUT", "/secrets/a"), ["setSecret", "a", undefined]);
    assert.deepEqual(op("GET", "/secrets/a"), ["getSecret", "a", undefined]);
    assert.deepEqual(op("GET", "/secrets/a/"), ["getSecret", "a", undefined]);
    assert.deepEqual(op("GET", `/secrets/a/${V}`), ["getSecret", "a", V.toLowerCase()]);
    assert.deepEqual(op("PATCH", `/secrets/a/${V}`), ["updateSecretProperties", "a", V.toLowerCase()]);
    assert.deepEqual(op("PATCH", "/secrets/a/"), ["updateSecretProperties", "a", undefined]);
    assert.deepEqual(op("DELETE", "/secrets/a"), ["beginDeleteSecret", "a", undefined]);
    assert.deepEqual(op("GET", "/Secrets/a/VERSIONS"), ["listPropertiesOfSecretVersions", "a", undefined]);
    assert.deepEqual(op("POST", "/secrets/a/backup"), ["backupSecret", "a", undefined]);
    assert.deepEqual(op("POST", "/secrets/restore"), ["restoreSecretBackup", "", undefined]);
    assert.deepEqual(op("GET", "/secrets/restore"), ["getSecret", "restore", undefined]);
    assert.deepEqual(op("GET", "/secrets"), ["listPropertiesOfSecrets", "", undefined]);
    assert.deepEqual(op("GET", "/DeletedSecrets"), ["listDeletedSecrets", "", undefined]);
    assert.deepEqual(op("GET", "/deletedsecrets/a"), ["getDeletedSecret", "a", undefined]);
    assert.deepEqual(op("DELETE", "/deletedsecrets/a"), ["purgeDeletedSecret", "a", undefined]);
    assert.deepEqual(op("POST", "/deletedsecrets/a/recover"), ["beginRecoverDeletedSecret", "a", undefined]);
  });

  it("400 for bad names and versions (Key Vault's wording), 404 unknown paths, 405 wrong methods with Allow", () => {
    rejects(() => op("GET", "/secrets/a_b"), 400, "BadParameter", /^The request URI contains an invalid name: a_b$/);
    rejects(() => op("GET", "/secrets/..%2F..%2Fetc"), 400, "BadParameter", /invalid name: \.\.\/\.\.\/etc/);
    rejects(() => op("GET", "/secrets/a/../b"), 404, "NotFound");
    rejects(() => op("GET", "/secrets/.."), 400, "BadParameter");
    rejects(() => op("GET", `/secrets/${"a".repeat(128)}`), 400, "BadParameter");
    rejects(() => op("GET", "/secrets/a/123"), 400, "BadParameter", /invalid version/);
    rejects(() => op("GET", "/secrets/%E0%A4%A"), 400, "BadParameter", /percent-encoding/);
    rejects(() => op("GET", "/storage/k"), 404, "NotFound", /secrets, keys and certificates APIs .*\/certificates, \/deletedcertificates\)/);
    rejects(() => op("GET", "/"), 404, "NotFound");
    rejects(() => op("GET", "*"), 404, "NotFound");
    rejects(() => op("POST", "/secrets"), 405, "MethodNotAllowed");
    rejects(() => op("PUT", "/secrets/a/"), 405, "MethodNotAllowed");
    rejects(() => op("GET", "/secrets/a/backup"), 405, "MethodNotAllowed");
    assert.throws(() => op("DELETE", "/secrets/a/versions"), (e: KeyVaultHttpError) => e.headers.allow === "GET");
  });
});

describe("hosts and vaults", () => {
  const store = {} as LocalVault;
  const dev: HostedVault = { name: "dev", store };
  const staging: HostedVault = { name: "staging", store };
  const all = new Map([
    ["dev", dev],
    ["staging", staging],
  ]);

  it("the origin is the Host header as sent, port included; no Host falls back", () => {
    assert.deepEqual(requestHost("https", "127.0.0.1:8443", "https://fallback"), { origin: "https://127.0.0.1:8443", hostname: "127.0.0.1" });
    assert.deepEqual(requestHost("https", "[::1]:9", "https://fallback"), { origin: "https://[::1]:9", hostname: "[::1]" });
    assert.deepEqual(requestHost("https", "Dev.LocalHost:1", "https://fallback"), { origin: "https://Dev.LocalHost:1", hostname: "dev.localhost" });
    assert.deepEqual(requestHost("https", undefined, "https://127.0.0.1:5"), { origin: "https://127.0.0.1:5", hostname: "127.0.0.1" });
    for (const bad of ["a b", "x/y", "a@b", "h:p", "a, b", "ex\u00e4mple.com"]) rejects(() => requestHost("https", bad, "https://f"), 400, "BadParameter");
  });

  it("NAME.localhost picks vault NAME; other hosts get the listener's vault; an unknown NAME is 404", () => {
    assert.equal(selectVault("staging.localhost", dev, all), staging);
    assert.equal(selectVault("dev.localhost", staging, all), dev);
    assert.equal(selectVault("localhost", staging, all), staging);
    assert.equal(selectVault("127.0.0.1", dev, all), dev);
    assert.equal(selectVault("my-pc.lan", dev, all), dev);
    rejects(() => selectVault("prod.localhost", dev, all), 404, "VaultNotFound", /Vaults: dev, staging/);
  });
});

describe("faults and the access log", () => {
  it("throttleFirst answers exactly the first N with 429 + Retry-After, then lets everything through", () => {
    const faults = createFaults({ throttleFirst: 2, retryAfterSeconds: 0 });
    const first = faults.throttle();
    assert.equal(first?.status, 429);
    assert.equal(first?.headers["retry-after"], "0");
    assert.equal(faults.throttle()?.status, 429);
    for (let i = 0; i < 20; i++) assert.equal(faults.throttle(), undefined);
  });

  it("throttleRate uses the coin; 503 on request; no faults by default", () => {
    let coin = 0;
    const faults = createFaults({ throttleRate: 0.5, throttleStatus: 503, random: () => (coin++ % 2 === 0 ? 0.1 : 0.9) });
    assert.equal(faults.throttle()?.status, 503);
    assert.equal(faults.throttle(), undefined);
    const none = createFaults();
    assert.equal(none.delay(), undefined);
    assert.equal(none.throttle(), undefined);
  });

  it("one bounded line per request, with no way to forge a second line", () => {
    assert.equal(formatAccessLine({ vault: "dev", method: "GET", path: "/secrets/a/", status: 200, ms: 0.44 }), "dev GET /secrets/a/ 200 0.4ms");
    const forged = formatAccessLine({ vault: "dev", method: "GET", path: "/x\n2026 fake line", status: 404, ms: 1 });
    assert.equal(forged.includes("\n"), false);
    assert.ok(formatAccessLine({ vault: "d", method: "GET", path: "/" + "a".repeat(10_000), status: 400, ms: 1 }).length < 400);
  });
});
