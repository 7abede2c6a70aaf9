import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as errors from "../../src/core/errors.js";
import { alreadyExists, deletedButRecoverable, deletedObjectNotFound, objectDisabled, objectNotFound } from "../../src/core/object-errors.js";

const { NotFoundError, SecretNotFoundError, isNotFoundError, isSecretNotFoundError } = errors;

describe("errors: a kind-neutral taxonomy", () => {
  it("has a guard for every error class, true for its own class only", () => {
    const classes = Object.entries(errors).filter(
      ([name, value]) => typeof value === "function" && name.endsWith("Error") && !name.startsWith("is") && name !== "OrbitraError",
    );
    assert.ok(classes.length >= 12);
    for (const [name] of classes) {
      const guard = (errors as Record<string, unknown>)[`is${name}`];
      assert.equal(typeof guard, "function", `is${name} exists`);
    }
    const instances = [
      new errors.PermissionDeniedError("x"),
      new errors.ConfigurationError("x"),
      new errors.InvalidNameError("x"),
      new errors.InvalidValueError("x"),
      new errors.ConflictError("x"),
      new errors.ThrottledError("x"),
      new errors.UnavailableError("x"),
      new errors.AuthenticationError("x"),
      new errors.InternalError("x"),
      new errors.SecretResolutionError("x"),
    ];
    for (const error of instances) {
      for (const other of instances) {
        const guard = (errors as unknown as Record<string, (e: unknown) => boolean>)[`is${other.name}`]!;
        assert.equal(guard(error), error === other, `is${other.name}(${error.name})`);
      }
    }
  });

  it("names the kind in a not-found's code, text and context; a secret's stays SecretNotFoundError", () => {
    const key = objectNotFound("key", "k1", "0123456789abcdef0123456789abcdef");
    assert.ok(key instanceof NotFoundError && !(key instanceof SecretNotFoundError));
    assert.equal(key.code, "KeyNotFound");
    assert.equal(key.serviceCode, "KeyNotFound");
    assert.equal(key.kind, "key");
    assert.equal(key.objectName, "k1");
    assert.match(key.message, /^A key with \(name\/id\) k1\/0123456789abcdef0123456789abcdef was not found in this key vault\. If you recently deleted this key /);
    assert.ok(isNotFoundError(key) && !isSecretNotFoundError(key));

    const secret = objectNotFound("secret", "s1");
    assert.ok(secret instanceof SecretNotFoundError);
    assert.equal(secret.code, "SecretNotFound");
    assert.equal(secret.secretName, "s1", "secretName stays an alias");
    assert.ok(isNotFoundError(secret) && isSecretNotFoundError(secret));

    assert.equal(deletedObjectNotFound("certificate", "c1").message, "Deleted Certificate not found: c1");
    assert.equal(deletedObjectNotFound("certificate", "c1").code, "CertificateNotFound");
  });

  it("words disabled, deleted-but-recoverable and already-exists for the kind", () => {
    assert.equal(objectDisabled("secret", "s").message, "Operation get is not allowed on a disabled secret.");
    assert.equal(objectDisabled("secret", "s").serviceCode, "SecretDisabled");
    assert.equal(objectDisabled("key", "k", "sign").message, "Operation sign is not allowed on a disabled key.");
    assert.match(deletedButRecoverable("key", "k").message, /^Key k is currently in a deleted but recoverable state.*the key can only be recovered or purged\.$/);
    assert.equal(deletedButRecoverable("key", "k").kind, "key");
    assert.match(alreadyExists("certificate", "c").message, /^Certificate c already exists\./);
  });

  it("takes secretName as a secret's name, and objectName with any kind", () => {
    const a = new errors.InvalidValueError("x", { secretName: "s" });
    assert.deepEqual([a.kind, a.objectName, a.secretName], ["secret", "s", "s"]);
    const b = new errors.PermissionDeniedError("x", { kind: "key", objectName: "k" });
    assert.deepEqual([b.kind, b.objectName], ["key", "k"]);
    const c = new errors.ConfigurationError("x");
    assert.deepEqual([c.kind, c.objectName, c.secretName], [undefined, undefined, undefined]);
  });
});
