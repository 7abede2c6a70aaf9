import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, it } from "node:test";
import { SecretStr } from "../../src/core/secret-str.js";
import { START_SECONDS, VaultFixture } from "./vault-fixture.js";

const notFound = (id: string) =>
  `A secret with (name/id) ${id} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`;

describe("LocalVault: versions, reads and updates", () => {
  let f: VaultFixture;
  beforeEach(() => (f = new VaultFixture()));
  afterEach(() => f.dispose());

  it("adds a version per set, with 32-hex ids and times in Unix seconds from the clock", () => {
    const first = f.vault.setSecret("api-key", "one");
    f.advanceSeconds(5);
    const second = f.vault.setSecret("api-key", "two");
    assert.match(first.version, /^[0-9a-f]{32}$/);
    assert.match(second.version, /^[0-9a-f]{32}$/);
    assert.notEqual(first.version, second.version);
    assert.equal(first.created, START_SECONDS);
    assert.equal(second.created, START_SECONDS + 5);
    assert.equal(second.updated, second.created);
    assert.ok(f.vault.getSecret("api-key").value.equals("two"));
    assert.equal(f.vault.getSecret("api-key").secret.version, second.version);
    assert.ok(f.vault.getSecret("api-key", first.version).value.equals("one"));
    assert.deepEqual(
      f.vault.listSecretVersions("api-key").items.map((v) => v.version),
      [first.version, second.version],
    );
    assert.deepEqual(f.counts(), { secrets: 1, versions: 2 });
  });

  it("takes the last write as latest when versions share a second", () => {
    const written = ["1", "2", "3", "4"].map((value) => f.vault.setSecret("fast", value).version);
    assert.ok(f.vault.getSecret("fast").value.equals("4"));
    assert.deepEqual(f.vault.listSecretVersions("fast").items.map((v) => v.version), written);
  });

  it("takes the last write as latest even if the clock stepped back between writes, and lists versions in write order", () => {
    const first = f.vault.setSecret("skew", "first");
    f.advanceSeconds(-60);
    const second = f.vault.setSecret("skew", "second, under a clock set back");
    assert.equal(f.vault.getSecret("skew").secret.version, second.version);
    assert.ok(f.vault.getSecret("skew").value.equals("second, under a clock set back"));
    assert.deepEqual(f.vault.listSecretVersions("skew").items.map((v) => [v.version, v.created]), [
      [first.version, START_SECONDS],
      [second.version, START_SECONDS - 60],
    ]);
    f.vault.deleteSecret("skew");
    assert.equal(f.vault.recoverDeletedSecret("skew").version, second.version, "recover returns the last write too");
  });

  it("treats names case-insensitively and keeps the first write's casing", () => {
    const a = f.vault.setSecret("Api-Key", "one");
    const b = f.vault.setSecret("API-KEY", "two");
    assert.equal(b.name, "Api-Key");
    assert.ok(f.vault.getSecret("api-key").value.equals("two"));
    assert.equal(f.vault.getSecret("aPi-kEy").secret.name, "Api-Key");
    assert.ok(f.vault.getSecret("API-key", a.version.toUpperCase()).value.equals("one"), "version ids ignore case too");
    assert.deepEqual(f.vault.listSecrets().items.map((s) => s.name), ["Api-Key"]);
    assert.equal(f.vault.listSecretVersions("API-KEY").items.length, 2);
  });

  it("round-trips attributes, tags and content type; defaults are enabled, no tags, no dates", () => {
    const nbf = new Date("2026-02-01T00:00:00.900Z");
    const exp = new Date("2027-01-01T12:34:56Z");
    const stored = f.vault.setSecret("full", "v", { contentType: "text/plain", tags: { env: "dev", team: "a" }, notBefore: nbf, expiresOn: exp });
    const read = f.vault.getSecret("full").secret;
    for (const s of [stored, read]) {
      assert.equal(s.contentType, "text/plain");
      assert.deepEqual(s.tags, { env: "dev", team: "a" });
      assert.equal(s.notBefore, Math.floor(nbf.getTime() / 1000), "dates are floored to seconds");
      assert.equal(s.expiresOn, exp.getTime() / 1000);
      assert.equal(s.enabled, true);
      assert.equal(s.recoveryLevel, "Recoverable+Purgeable");
      assert.equal(s.recoverableDays, 90);
    }
    const bare = f.vault.setSecret("bare", "v");
    assert.deepEqual(bare, f.vault.getSecret("bare").secret);
    assert.deepEqual(Object.keys(bare).sort(), ["created", "enabled", "name", "recoverableDays", "recoveryLevel", "tags", "updated", "version"]);
    assert.deepEqual(bare.tags, {});
  });

  it("does not enforce notBefore / expiresOn on reads (Key Vault treats them as information)", () => {
    f.vault.setSecret("expired", "old", { expiresOn: new Date(f.now - 86_400_000) });
    f.vault.setSecret("future", "soon", { notBefore: new Date(f.now + 86_400_000) });
    assert.ok(f.vault.getSecret("expired").value.equals("old"));
    assert.ok(f.vault.getSecret("future").value.equals("soon"));
  });

  it("answers unknown names and versions with Key Vault's SecretNotFound texts", () => {
    assert.throws(() => f.vault.getSecret("nope"), { code: "SecretNotFound", serviceCode: "SecretNotFound", message: notFound("nope") });
    f.vault.setSecret("there", "v");
    const missing = "0123456789abcdef0123456789abcdef";
    assert.throws(() => f.vault.getSecret("there", missing), { code: "SecretNotFound", message: notFound(`there/${missing}`) });
    assert.throws(() => f.vault.updateSecretProperties("there", missing, { enabled: false }), { message: notFound(`there/${missing}`) });
    assert.throws(() => f.vault.updateSecretProperties("nope", undefined, {}), { code: "SecretNotFound", message: notFound("nope") });
    const other = f.vault.setSecret("other", "v");
    assert.throws(() => f.vault.getSecret("there", other.version), { code: "SecretNotFound" }, "a version of another secret");
    assert.deepEqual(f.vault.listSecretVersions("nope"), { items: [] });
  });

  it("updates one version: given fields change, absent ones stay, tags are replaced, `updated` moves", () => {
    const v1 = f.vault.setSecret("upd", "first", { contentType: "a/b", tags: { old: "1", keep: "2" }, expiresOn: new Date("2030-01-01Z") });
    const v2 = f.vault.setSecret("upd", "second", { tags: { latest: "yes" } });
    f.advanceSeconds(30);
    const changed = f.vault.updateSecretProperties("upd", v1.version, { tags: { fresh: "x" }, notBefore: new Date("2026-06-01Z") });
    assert.equal(changed.version, v1.version);
    assert.deepEqual(changed.tags, { fresh: "x" });
    assert.equal(changed.contentType, "a/b", "absent contentType unchanged");
    assert.equal(changed.expiresOn, Date.parse("2030-01-01Z") / 1000, "absent expiresOn unchanged");
    assert.equal(changed.notBefore, Date.parse("2026-06-01Z") / 1000);
    assert.equal(changed.created, v1.created);
    assert.equal(changed.updated, v1.created + 30);
    assert.deepEqual(f.vault.getSecret("upd", v1.version).secret, changed);
    assert.ok(f.vault.getSecret("upd", v1.version).value.equals("first"), "the value never changes");
    assert.deepEqual(f.vault.getSecret("upd").secret, v2, "the latest version was not touched");
    const latest = f.vault.updateSecretProperties("upd", undefined, { contentType: "text/x" });
    assert.equal(latest.version, v2.version, "no version means the latest");
    assert.deepEqual(latest.tags, { latest: "yes" }, "absent tags unchanged");
    assert.deepEqual(f.vault.updateSecretProperties("upd", undefined, { tags: {} }).tags, {}, "empty tags clear them");
    assert.equal(f.vault.listSecretVersions("upd").items.length, 2, "an update adds no version");
  });

  it("refuses to read a disabled version (SecretDisabled), still lists it, and lets an update re-enable it", () => {
    const v1 = f.vault.setSecret("toggle", "x");
    const disabled = f.vault.updateSecretProperties("toggle", undefined, { enabled: false });
    assert.equal(disabled.enabled, false);
    const denied = { code: "PermissionDenied", serviceCode: "SecretDisabled", message: "Operation get is not allowed on a disabled secret." };
    assert.throws(() => f.vault.getSecret("toggle"), denied);
    assert.throws(() => f.vault.getSecret("toggle", v1.version), denied);
    assert.equal(f.vault.listSecrets().items[0]!.enabled, false);
    assert.equal(f.vault.updateSecretProperties("toggle", v1.version, { enabled: true }).enabled, true);
    assert.ok(f.vault.getSecret("toggle").value.equals("x"));
    f.vault.setSecret("born-off", "y", { enabled: false });
    assert.throws(() => f.vault.getSecret("born-off"), denied);
    const v2 = f.vault.setSecret("born-off", "z");
    assert.equal(v2.enabled, true, "a new version is enabled by default");
    assert.ok(f.vault.getSecret("born-off").value.equals("z"));
  });

  it("accepts a SecretStr value and returns values only as SecretStr", () => {
    const stored = f.vault.setSecret("wrapped", new SecretStr("hidden-value-123"));
    const read = f.vault.getSecret("wrapped");
    assert.ok(read.value instanceof SecretStr);
    assert.ok(read.value.equals("hidden-value-123"));
    for (const text of [JSON.stringify(read), JSON.stringify(stored), inspect(read, { depth: 5 }), String(read.value)]) {
      assert.equal(text.includes("hidden-value-123"), false);
    }
  });

  it("counts the 25 KB limit in UTF-8 bytes", () => {
    f.vault.setSecret("max-ascii", "a".repeat(25 * 1024));
    f.vault.setSecret("max-utf8", "é".repeat(12 * 1024) + "a".repeat(1024), {});
    // 12801 characters, 25602 bytes: short enough in characters, too long in bytes.
    assert.throws(() => f.vault.setSecret("over", "é".repeat(12_801)), { code: "InvalidValue" });
    assert.ok(f.vault.getSecret("max-ascii").value.equals("a".repeat(25 * 1024)));
  });

  it("refuses bad input before any write: rows and file bytes stay the same", () => {
    f.vault.setSecret("kept", "v");
    f.vault.setSecret("gone", "v");
    f.vault.deleteSecret("gone");
    const files = () => [f.path, `${f.path}-wal`].map((p) => readFileSync(p));
    const before = { counts: f.counts(), files: files() };
    const bad: [() => unknown, string][] = [
      [() => f.vault.setSecret("bad_name", "v"), "InvalidName"],
      [() => f.vault.setSecret("dot.name", "v"), "InvalidName"],
      [() => f.vault.setSecret("", "v"), "InvalidName"],
      [() => f.vault.setSecret("n".repeat(128), "v"), "InvalidName"],
      [() => f.vault.setSecret("ok", "x".repeat(25 * 1024 + 1)), "InvalidValue"],
      [() => f.vault.setSecret("ok", 42 as unknown as string), "InvalidValue"],
      [() => f.vault.setSecret("ok", "v", { tags: { "": "x" } }), "InvalidValue"],
      [() => f.vault.setSecret("ok", "v", { tags: { t: "v".repeat(257) } }), "InvalidValue"],
      [() => f.vault.setSecret("ok", "v", { tags: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, "v"])) }), "InvalidValue"],
      [() => f.vault.setSecret("ok", "v", { contentType: "c".repeat(256) }), "InvalidValue"],
      [() => f.vault.setSecret("ok", "v", { expiresOn: new Date("nope") }), "InvalidValue"],
      [() => f.vault.setSecret("ok", "v", { enabled: "yes" as unknown as boolean }), "InvalidValue"],
      [() => f.vault.setSecret("gone", "v"), "Conflict"],
      [() => f.vault.updateSecretProperties("kept", "xyz", { enabled: false }), "InvalidName"],
      [() => f.vault.updateSecretProperties("kept", undefined, { tags: { "": "" } }), "InvalidValue"],
      [() => f.vault.updateSecretProperties("kept", undefined, { notBefore: new Date(Number.NaN) }), "InvalidValue"],
      [() => f.vault.updateSecretProperties("bad name", undefined, {}), "InvalidName"],
      [() => f.vault.getSecret("kept", "g".repeat(32)), "InvalidName"],
      [() => f.vault.deleteSecret("x_y"), "InvalidName"],
      [() => f.vault.purgeDeletedSecret("x_y"), "InvalidName"],
      [() => f.vault.recoverDeletedSecret("x_y"), "InvalidName"],
      [() => f.vault.listSecretVersions("x_y"), "InvalidName"],
    ];
    for (const [call, code] of bad) assert.throws(call, { code }, String(call));
    assert.deepEqual(f.counts(), before.counts);
    assert.deepEqual(files(), before.files, "no byte of the database or its WAL changed");
  });
});
