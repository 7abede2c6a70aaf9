import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse as dotenvParse } from "dotenv";
import fc from "fast-check";
import { SecretStr } from "../../src/core/secret-str.js";
import { dotenvQuoting, formatDotenv, parseDotenv } from "../../src/formats/dotenv.js";
import { entriesArb, RUNS, secretValue } from "./arbitraries.js";

/** True when every value of `parsed` is exactly the expected one (no value is ever printed). */
function sameValues(parsed: Map<string, SecretStr> | Record<string, string>, expected: [string, string][]): boolean {
  const get = (name: string): string | undefined =>
    parsed instanceof Map ? parsed.get(name)?.reveal() : Object.prototype.hasOwnProperty.call(parsed, name) ? parsed[name] : undefined;
  const size = parsed instanceof Map ? parsed.size : Object.keys(parsed).length;
  return size === expected.length && expected.every(([name, value]) => get(name) === value);
}

const PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n";

describe("dotenv format", () => {
  it("round-trips every value through our parser byte for byte (escaped form allowed)", () => {
    fc.assert(
      fc.property(entriesArb(), (entries) => {
        const text = formatDotenv(entries, { portable: false });
        assert.ok(sameValues(parseDotenv(text), entries));
      }),
      RUNS,
    );
  });

  it("is read back identically by the dotenv package whenever the value is portable", () => {
    fc.assert(
      fc.property(entriesArb(), (entries) => {
        const portable = entries.filter(([, v]) => dotenvQuoting(v) !== "escaped");
        const text = formatDotenv(portable);
        assert.ok(sameValues(dotenvParse(text), portable), "dotenv.parse differs");
        assert.ok(sameValues(parseDotenv(text), portable), "parseDotenv differs");
      }),
      RUNS,
    );
  });

  it("refuses, by variable name and never by value, what dotenv cannot carry", () => {
    fc.assert(
      fc.property(secretValue.filter((v) => dotenvQuoting(v) === "escaped"), (value) => {
        assert.throws(
          () => formatDotenv([["TRICKY", value]]),
          (error: Error & { code: string }) =>
            error.code === "InvalidValue" && error.message.includes("TRICKY") && (value.length < 3 || !error.message.includes(value)),
        );
      }),
      { numRuns: 100 },
    );
  });

  it("carries PEM keys, CRLF, $, quotes, backslashes, = and # the dotenv package can read", () => {
    const cases: [string, string, string][] = [
      ["PEM", PEM, "single"],
      ["PEM_CRLF", PEM.replace(/\n/g, "\r\n"), "double"],
      ["DOLLAR", "pa$$word ${HOME}", "single"],
      ["QUOTES", `it's "quoted"`, "backtick"],
      ["BACKSLASH", "C:\\Program Files\\", "bare"],
      ["EQUALS", "a=b=c", "bare"],
      ["HASH", "a # not a comment", "single"],
      ["UNICODE", "пароль-密码-😀", "single"],
      ["UNICODE_LETTERS", "пароль-密码", "bare"],
      ["SPACES", "  padded  ", "single"],
      ["EMPTY", "", "single"],
      ["LITERAL_BACKSLASH_N", "a\\nb", "single"],
      // The dotenv package's regex ends a line at U+2028/U+2029 too (found by the property above).
      ["LINE_SEPARATOR", "a\u2028b\u2029c", "single"],
    ];
    const entries = cases.map(([name, value]): [string, string] => [name, value]);
    for (const [name, value, quoting] of cases) assert.equal(dotenvQuoting(value), quoting, name);
    assert.equal(dotenvQuoting("$'\\\\\u2028``"), "escaped", "no quoting fits it, and bare would stop at U+2028");
    const text = formatDotenv(entries);
    assert.ok(sameValues(dotenvParse(text), entries));
    assert.ok(sameValues(parseDotenv(text), entries));
    assert.ok(sameValues(parseDotenv(text.replace(/\n/g, "\r\n")), entries), "a file saved with CRLF line ends");
  });

  it("takes SecretStr and null (an empty secret) and reveals only into the text", () => {
    const text = formatDotenv(new Map<string, SecretStr | null>([["A", new SecretStr("x y")], ["B", null]]));
    assert.equal(text, "A='x y'\nB=''\n");
  });

  it("reads hand-written files: comments, export, spaces around =, inline comments, escapes", () => {
    const text = [
      "\uFEFF# comment",
      "export A=plain value # comment",
      "B = 'single # kept'",
      'C="line1\\nline2 \\"q\\" \\\\ \\t"  # trailing comment',
      "D=",
      "E=`multi",
      "line`",
      "",
    ].join("\n");
    const parsed = parseDotenv(text);
    assert.deepEqual([...parsed.keys()], ["A", "B", "C", "D", "E"]);
    assert.ok(parsed.get("A")!.equals("plain value"));
    assert.ok(parsed.get("B")!.equals("single # kept"));
    assert.ok(parsed.get("C")!.equals('line1\nline2 "q" \\ \\t'));
    assert.ok(parsed.get("D")!.equals(""));
    assert.ok(parsed.get("E")!.equals("multi\nline"));
  });

  it("reports malformed text by line number, never quoting the line", () => {
    const cases: [string, RegExp][] = [
      ["A=ok\nB='never closed\n", /line 2: the single quote is never closed/],
      ['A="x" extra-secret-text\n', /line 1: unexpected text after the closing quote/],
      ["just-words-secret\n", /line 1: expected '=' after just-words-secret/],
      ["=value-secret\n", /line 1: expected NAME=value/],
    ];
    for (const [text, pattern] of cases) {
      assert.throws(
        () => parseDotenv(text),
        (error: Error & { code: string }) => {
          assert.equal(error.code, "InvalidValue");
          assert.match(error.message, pattern);
          assert.ok(!error.message.includes("extra-secret-text") && !error.message.includes("value-secret"));
          return true;
        },
      );
    }
  });

  it("refuses names that are not variable names", () => {
    assert.throws(() => formatDotenv([["db-password", "x"]]), { code: "InvalidName" });
  });
});
