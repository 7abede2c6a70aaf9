import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isOrbitraError } from "../../src/core/errors.js";
import { lifetimeActionDates } from "../../src/x509/lifetime.js";
import { normalisePolicy, updatePolicy } from "../../src/x509/policy.js";

/** A refusal is Key Vault's 400 BadParameter, naming the property. */
function refuses(policy: unknown, property: string): void {
  assert.throws(
    () => normalisePolicy(policy),
    (error: unknown) =>
      isOrbitraError(error) &&
      error.code === "InvalidValue" &&
      error.serviceCode === "BadParameter" &&
      error.statusCode === 400 &&
      error.message.includes(`Property ${property} `) &&
      !error.message.includes("\n"),
  );
}

describe("certificate policy: Key Vault's defaults", () => {
  test("the body the SDK sends for {issuerName: Self, subject: CN=test} gets the recorded server defaults", () => {
    const policy = normalisePolicy({
      key_props: {},
      secret_props: {},
      x509_props: { subject: "CN=test", sans: {}, validity_months: 12 },
      issuer: { name: "Self" },
      attributes: {},
    });
    assert.deepEqual(policy, {
      key_props: { exportable: true, kty: "RSA", key_size: 2048, reuse_key: false },
      secret_props: { contentType: "application/x-pkcs12" },
      x509_props: {
        subject: "CN=test",
        sans: {},
        ekus: ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"],
        key_usage: ["digitalSignature", "keyEncipherment"],
        validity_months: 12,
        basic_constraints: { ca: false },
      },
      lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: "AutoRenew" } }],
      issuer: { name: "Self" },
      attributes: { enabled: true },
    });
  });

  test("missing members default too: no issuer is Self, no validity is 12 months; the SDK's cn=MyCert is taken", () => {
    const policy = normalisePolicy({ x509_props: { subject: "cn=MyCert" } });
    assert.equal(policy.issuer.name, "Self");
    assert.equal(policy.x509_props.validity_months, 12);
    assert.equal(policy.x509_props.subject, "cn=MyCert");
  });

  test("issuer Unknown defaults to an EmailContacts action (a CSR signed elsewhere cannot renew itself)", () => {
    const policy = normalisePolicy({ x509_props: { subject: "CN=x" }, issuer: { name: "Unknown", cert_transparency: false } });
    assert.deepEqual(policy.lifetime_actions, [{ trigger: { lifetime_percentage: 80 }, action: { action_type: "EmailContacts" } }]);
    assert.deepEqual(policy.issuer, { name: "Unknown", cert_transparency: false });
  });

  test("EC: the curve defaults to P-256, a size picks its curve, explicit values are kept", () => {
    assert.deepEqual(normalisePolicy({ key_props: { kty: "EC" }, x509_props: { subject: "CN=x" } }).key_props, {
      exportable: true,
      kty: "EC",
      reuse_key: false,
      crv: "P-256",
    });
    assert.equal(normalisePolicy({ key_props: { kty: "EC-HSM", key_size: 384 }, x509_props: { subject: "CN=x" } }).key_props.crv, "P-384");
    const rich = normalisePolicy({
      key_props: { kty: "RSA", key_size: 4096, exportable: false, reuse_key: true },
      secret_props: { contentType: "application/x-pem-file" },
      x509_props: {
        subject: "CN=a, O=b",
        sans: { dns_names: ["localhost"], ipAddresses: ["127.0.0.1", "::1"], emails: ["a@b.example"], uris: ["https://x.example/"], upns: [] },
        ekus: ["1.3.6.1.5.5.7.3.1"],
        key_usage: ["digitalSignature"],
        basic_constraints: { ca: true },
      },
      lifetime_actions: [{ trigger: { days_before_expiry: 30 }, action: { action_type: "AutoRenew" } }],
    });
    assert.deepEqual(rich.key_props, { exportable: false, kty: "RSA", key_size: 4096, reuse_key: true });
    assert.equal(rich.secret_props.contentType, "application/x-pem-file");
    // An empty SAN list is left out, as the service shows `sans: {}` for none.
    assert.deepEqual(rich.x509_props.sans, { dns_names: ["localhost"], emails: ["a@b.example"], uris: ["https://x.example/"], ipAddresses: ["127.0.0.1", "::1"] });
    assert.deepEqual(rich.lifetime_actions, [{ trigger: { days_before_expiry: 30 }, action: { action_type: "AutoRenew" } }]);
    assert.equal(rich.x509_props.basic_constraints.ca, true);
  });

  test("a subject may be empty when SANs name the certificate", () => {
    assert.equal(normalisePolicy({ x509_props: { sans: { dns_names: ["example.com"] } } }).x509_props.subject, "");
  });
});

describe("certificate policy: impossible values are Key Vault's BadParameter", () => {
  const x509 = { subject: "CN=x" };
  test("validity 0, negative, fractional or over 100 years", () => {
    refuses({ x509_props: { ...x509, validity_months: 0 } }, "x509_props.validity_months");
    refuses({ x509_props: { ...x509, validity_months: -1 } }, "x509_props.validity_months");
    refuses({ x509_props: { ...x509, validity_months: 1.5 } }, "x509_props.validity_months");
    refuses({ x509_props: { ...x509, validity_months: 1201 } }, "x509_props.validity_months");
  });
  test("unknown key type, RSA size not 2048/3072/4096, unknown curve, size against curve, curve on RSA", () => {
    refuses({ key_props: { kty: "oct" }, x509_props: x509 }, "key_props.kty");
    refuses({ key_props: { kty: "RSA", key_size: 1024 }, x509_props: x509 }, "key_props.key_size");
    refuses({ key_props: { kty: "EC", crv: "P-192" }, x509_props: x509 }, "key_props.crv");
    refuses({ key_props: { kty: "EC", crv: "P-256", key_size: 384 }, x509_props: x509 }, "key_props.key_size");
    refuses({ key_props: { kty: "EC", key_size: 2048 }, x509_props: x509 }, "key_props.key_size");
    refuses({ key_props: { kty: "RSA", crv: "P-256" }, x509_props: x509 }, "key_props.crv");
  });
  test("a bad subject DN, or neither subject nor SANs", () => {
    for (const subject of ["garbage", "CN=", "XX=1", "CN=a,=b", "C=USA", "CN=a\\"]) refuses({ x509_props: { subject } }, "x509_props.subject");
    refuses({ x509_props: {} }, "x509_props.subject");
    refuses({ x509_props: { subject: " ", sans: { dns_names: [] } } }, "x509_props.subject");
  });
  test("bad SANs, EKUs, key usages, content types", () => {
    refuses({ x509_props: { ...x509, sans: { ipAddresses: ["300.1.1.1"] } } }, "sans.ipAddresses");
    refuses({ x509_props: { ...x509, sans: { dns_names: ["bad name"] } } }, "sans.dns_names");
    refuses({ x509_props: { ...x509, sans: { emails: ["nobody"] } } }, "sans.emails");
    refuses({ x509_props: { ...x509, sans: { uris: ["not a uri"] } } }, "sans.uris");
    refuses({ x509_props: { ...x509, ekus: ["serverAuth"] } }, "x509_props.ekus");
    refuses({ x509_props: { ...x509, key_usage: ["signEverything"] } }, "x509_props.key_usage");
    refuses({ x509_props: x509, secret_props: { contentType: "text/plain" } }, "secret_props.contentType");
  });
  test("a lifetime action with both percentage and days, neither, out of range, or an unknown action", () => {
    const action = { action_type: "AutoRenew" };
    refuses({ x509_props: x509, lifetime_actions: [{ trigger: { lifetime_percentage: 80, days_before_expiry: 10 }, action }] }, "lifetime_actions[0].trigger");
    refuses({ x509_props: x509, lifetime_actions: [{ trigger: {}, action }] }, "lifetime_actions[0].trigger");
    refuses({ x509_props: x509, lifetime_actions: [{ trigger: { lifetime_percentage: 100 }, action }] }, "lifetime_actions[0].trigger.lifetime_percentage");
    refuses({ x509_props: x509, lifetime_actions: [{ trigger: { days_before_expiry: 400 }, action }] }, "lifetime_actions[0].trigger.days_before_expiry");
    refuses({ x509_props: x509, lifetime_actions: [{ trigger: { lifetime_percentage: 50 }, action: { action_type: "Explode" } }] }, "lifetime_actions[0].action.action_type");
  });
  test("wrong JSON types", () => {
    refuses("a string", "policy");
    refuses({ key_props: [], x509_props: x509 }, "key_props");
    refuses({ key_props: { exportable: "yes" }, x509_props: x509 }, "key_props.exportable");
    refuses({ x509_props: { ...x509, validity_months: "12" } }, "x509_props.validity_months");
    refuses({ issuer: { name: "has space" }, x509_props: x509 }, "issuer.name");
  });
});

describe("certificate policy: update", () => {
  test("sections sent replace stored ones; the rest stays; a new key type drops the old size", () => {
    const current = normalisePolicy({ x509_props: { subject: "CN=x", sans: { dns_names: ["a.example"] } } });
    const updated = updatePolicy(current, { key_props: { kty: "EC" }, x509_props: { validity_months: 6 } });
    assert.deepEqual(updated.key_props, { exportable: true, kty: "EC", reuse_key: false, crv: "P-256" });
    assert.equal(updated.x509_props.validity_months, 6);
    assert.deepEqual(updated.x509_props.sans, { dns_names: ["a.example"] });
    assert.throws(() => updatePolicy(current, { x509_props: { validity_months: 0 } }), /validity_months/);
  });
});

describe("certificate policy: when lifetime actions fall due", () => {
  test("a percentage of the lifetime after notBefore, days before notAfter, earliest first", () => {
    const policy = normalisePolicy({
      x509_props: { subject: "CN=x" },
      lifetime_actions: [
        { trigger: { days_before_expiry: 10 }, action: { action_type: "EmailContacts" } },
        { trigger: { lifetime_percentage: 50 }, action: { action_type: "AutoRenew" } },
      ],
    });
    const notBefore = new Date("2026-01-01T00:00:00Z");
    const notAfter = new Date("2026-01-21T00:00:00Z");
    assert.deepEqual(lifetimeActionDates(policy, { notBefore, notAfter }), [
      { action_type: "EmailContacts", due: new Date("2026-01-11T00:00:00Z") },
      { action_type: "AutoRenew", due: new Date("2026-01-11T00:00:00Z") },
    ]);
    const defaults = lifetimeActionDates(normalisePolicy({ x509_props: { subject: "CN=x" } }), { notBefore, notAfter });
    assert.deepEqual(defaults, [{ action_type: "AutoRenew", due: new Date("2026-01-17T00:00:00Z") }]);
  });
});
