import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  EnvNameCollisionError,
  fromEnvName,
  isValidEnvName,
  mapEnvNamesToSecrets,
  mapSecretNamesToEnv,
  toEnvName,
} from "../../src/formats/env-names.js";
import { RUNS } from "./arbitraries.js";

const secretName = fc.stringMatching(/^[0-9a-zA-Z-]{1,40}$/);

describe("env names: secret name <-> variable", () => {
  it("maps the documented examples both ways", () => {
    const table: [string, string, string?][] = [
      ["db-password", "DB_PASSWORD"],
      ["DB-Password", "DB_PASSWORD"],
      ["api", "API"],
      ["1password", "_1PASSWORD"],
      ["-1x", "__1X"],
      ["-abc", "_ABC"],
      ["1password", "APP_1PASSWORD", "APP_"],
      ["db-password", "APP_DB_PASSWORD", "APP_"],
    ];
    for (const [secret, env, prefix] of table) {
      const options = prefix ? { prefix } : {};
      assert.equal(toEnvName(secret, options), env, secret);
      assert.equal(fromEnvName(env, options), secret.toLowerCase(), env);
    }
  });

  it("is reversible up to case and always gives a portable variable name", () => {
    fc.assert(
      fc.property(secretName, fc.constantFrom(undefined, "APP_", "_", "X1_"), (name, prefix) => {
        const options = prefix ? { prefix } : {};
        const env = toEnvName(name, options);
        assert.ok(isValidEnvName(env), env);
        assert.equal(fromEnvName(env, options), name.toLowerCase());
      }),
      RUNS,
    );
  });

  it("skips variables without the prefix and refuses ones that map to no secret name", () => {
    assert.equal(fromEnvName("PATH", { prefix: "APP_" }), undefined);
    assert.throws(() => fromEnvName("APP_", { prefix: "APP_" }), { code: "InvalidName" });
    assert.throws(() => fromEnvName("DB-PASSWORD"), { code: "InvalidName" });
    assert.throws(() => toEnvName("db_password"), { code: "InvalidName" });
    assert.throws(() => toEnvName("x", { prefix: "1BAD" }), { code: "InvalidName" });
  });

  it("reports every collision at once, in both directions", () => {
    assert.throws(
      () => mapSecretNamesToEnv(["db-password", "api", "DB-PASSWORD", "Api", "other"]),
      (error: EnvNameCollisionError) => {
        assert.ok(error instanceof EnvNameCollisionError);
        assert.equal(error.code, "InvalidName");
        assert.deepEqual(error.collisions, [
          { target: "DB_PASSWORD", sources: ["db-password", "DB-PASSWORD"] },
          { target: "API", sources: ["api", "Api"] },
        ]);
        return true;
      },
    );
    assert.throws(
      () => mapEnvNamesToSecrets(["DB_PASSWORD", "db_password", "HOME"]),
      (error: EnvNameCollisionError) => {
        assert.deepEqual(error.collisions, [{ target: "db-password", sources: ["DB_PASSWORD", "db_password"] }]);
        return true;
      },
    );
    assert.deepEqual(
      [...mapEnvNamesToSecrets(["APP_DB_PASSWORD", "PATH", "APP_X"], { prefix: "APP_" })],
      [
        ["APP_DB_PASSWORD", "db-password"],
        ["APP_X", "x"],
      ],
    );
  });
});
