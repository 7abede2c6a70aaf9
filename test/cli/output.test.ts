import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  deletedToText,
  environmentsToText,
  propertiesToJson,
  propertiesToText,
  toJsonLine,
  versionsToText,
} from "../../src/cli/output.js";
import type { DeletedSecretProperties, SecretProperties } from "../../src/core/types.js";

const props: SecretProperties = {
  name: "db-password",
  version: "0123456789abcdef0123456789abcdef",
  id: "local:///vault/secrets/db-password/0123456789abcdef0123456789abcdef",
  vaultUrl: "local:///vault",
  enabled: true,
  createdOn: new Date("2026-01-02T03:04:05Z"),
  updatedOn: new Date("2026-01-03T03:04:05Z"),
  expiresOn: new Date("2027-01-01T00:00:00Z"),
  contentType: "text/plain",
  tags: { owner: "payments", env: "prod" },
  recoveryLevel: "Recoverable+Purgeable",
  recoverableDays: 90,
};

const deleted: DeletedSecretProperties = {
  ...props,
  recoveryId: "local:///vault/deletedsecrets/db-password",
  deletedOn: new Date("2026-02-01T00:00:00Z"),
  scheduledPurgeDate: new Date("2026-05-02T00:00:00Z"),
};

describe("output rendering (pure)", () => {
  it("propertiesToJson: ISO dates, optional fields only when present, no vaultUrl noise", () => {
    assert.deepEqual(propertiesToJson(props), {
      name: "db-password",
      version: "0123456789abcdef0123456789abcdef",
      id: props.id,
      enabled: true,
      contentType: "text/plain",
      tags: { owner: "payments", env: "prod" },
      expiresOn: "2027-01-01T00:00:00.000Z",
      createdOn: "2026-01-02T03:04:05.000Z",
      updatedOn: "2026-01-03T03:04:05.000Z",
      recoveryLevel: "Recoverable+Purgeable",
      recoverableDays: 90,
    });
    const bare = propertiesToJson({ ...props, version: undefined, contentType: undefined, expiresOn: undefined, tags: {} });
    assert.equal("version" in bare, false);
    assert.equal("contentType" in bare, false);
    assert.equal("expiresOn" in bare, false);
    assert.equal("value" in bare, false);
  });

  it("propertiesToJson adds the deletion facts of a deleted secret", () => {
    const json = propertiesToJson(deleted);
    assert.equal(json.recoveryId, deleted.recoveryId);
    assert.equal(json.deletedOn, "2026-02-01T00:00:00.000Z");
    assert.equal(json.scheduledPurgeDate, "2026-05-02T00:00:00.000Z");
  });

  it("propertiesToText: aligned key/value lines, one line per tag", () => {
    const text = propertiesToText(props);
    const lines = text.trimEnd().split("\n");
    assert.ok(text.endsWith("\n"));
    assert.ok(lines.includes(`${"tag owner".padEnd("recoverableDays".length)}  payments`), text);
    assert.ok(lines.some((l) => /^name\s+db-password$/.test(l)));
    const column = lines.map((l) => l.search(/ {2}\S/));
    assert.equal(new Set(column).size, 1, `values start in one column:\n${text}`);
  });

  it("versionsToText: one line per version, disabled and expiry shown; nothing for none", () => {
    const text = versionsToText([props, { ...props, version: "f".repeat(32), enabled: false, expiresOn: undefined }]);
    assert.equal(
      text,
      "0123456789abcdef0123456789abcdef  enabled   2026-01-02T03:04:05.000Z  expires 2027-01-01T00:00:00.000Z\n" +
        `${"f".repeat(32)}  disabled  2026-01-02T03:04:05.000Z\n`,
    );
    assert.equal(versionsToText([]), "");
  });

  it("deletedToText: name, deletion and purge dates", () => {
    assert.equal(deletedToText([deleted]), "db-password  deleted 2026-02-01T00:00:00.000Z  purge 2026-05-02T00:00:00.000Z\n");
    assert.equal(deletedToText([]), "");
  });

  it("environmentsToText: the default starred, names aligned, problems said", () => {
    assert.equal(
      environmentsToText([
        { name: "local", default: true, vault: "local store /h/local.db" },
        { name: "prod", default: false, problem: "bad URL" },
      ]),
      "* local  local store /h/local.db\n  prod   (unusable: bad URL)\n",
    );
    assert.equal(environmentsToText([]), "");
  });

  it("toJsonLine: one JSON document ending in a newline", () => {
    const text = toJsonLine({ a: [1] });
    assert.deepEqual(JSON.parse(text), { a: [1] });
    assert.ok(text.endsWith("}\n"));
  });
});
