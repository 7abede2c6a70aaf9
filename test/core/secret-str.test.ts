import assert from "node:assert/strict";
import { Console } from "node:console";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { format, inspect } from "node:util";
import { SecretStr, isSecretStr } from "../../src/core/secret-str.js";
import { OrbitraError } from "../../src/core/errors.js";

const CANARY = "canary-7f3a9c-never-print";

function captureConsole(write: (c: Console) => void): string {
  let out = "";
  const sink = new Writable({
    write(chunk, _enc, done) {
      out += String(chunk);
      done();
    },
  });
  write(new Console({ stdout: sink, stderr: sink }));
  return out;
}

describe("SecretStr", () => {
  const secret = new SecretStr(CANARY);

  it("reveals only on purpose", () => {
    assert.equal(secret.reveal() === CANARY, true);
    assert.equal(secret.getSecretValue() === CANARY, true);
    assert.equal(secret.length, CANARY.length);
    assert.ok(isSecretStr(secret));
    assert.equal(isSecretStr(CANARY), false);
  });

  it("hides the value from every printing channel", () => {
    const nested = { config: { password: secret, list: [secret] } };
    const channels: Record<string, string> = {
      toString: secret.toString(),
      String: String(secret),
      template: `${secret}`,
      concat: "x" + secret,
      json: JSON.stringify(nested),
      inspect: inspect(nested, { depth: 10, showHidden: true }),
      formatS: format("%s", secret),
      formatO: format("%o", nested),
      formatJ: format("%j", nested),
      consoleLog: captureConsole((c) => c.log(secret, nested)),
      consoleError: captureConsole((c) => c.error("value: %s", secret)),
      consoleDir: captureConsole((c) => c.dir(nested, { depth: 10 })),
      consoleTable: captureConsole((c) => c.table([{ secret }])),
      errorMessage: new OrbitraError("Internal", `failed with ${secret}`).message,
      keys: JSON.stringify(Object.keys(secret)) + JSON.stringify(Object.getOwnPropertyNames(secret)),
      structuredClone: inspect(structuredClone({ s: { ...secret } })),
    };
    for (const [channel, text] of Object.entries(channels)) {
      assert.equal(text.includes(CANARY), false, `the value leaked through ${channel}`);
    }
    assert.match(channels.template!, /\*{10}/);
    assert.match(channels.inspect!, /SecretStr\(\*{10}\)/);
  });

  it("compares in constant time, by value", () => {
    assert.equal(secret.equals(CANARY), true);
    assert.equal(secret.equals(new SecretStr(CANARY)), true);
    assert.equal(secret.equals(CANARY + "x"), false);
    assert.equal(secret.equals(""), false);
    assert.equal(new SecretStr("").equals(""), true);
  });

  it("accepts only strings", () => {
    assert.throws(() => new SecretStr(42 as unknown as string), { code: "InvalidValue", name: "InvalidValueError" });
  });
});
