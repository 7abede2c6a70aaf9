import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import fc from "fast-check";
import { SecretStr } from "../../src/core/secret-str.js";
import { dockerCannotCarry, formatDocker, parseDocker } from "../../src/formats/docker.js";
import { formatJson, parseJson } from "../../src/formats/json.js";
import { FORMATS } from "../../src/formats/registry.js";
import { formatShell, parseShell } from "../../src/formats/shell.js";
import { entriesArb, RUNS } from "./arbitraries.js";

function sameValues(parsed: Map<string, SecretStr>, expected: [string, string][]): boolean {
  return parsed.size === expected.length && expected.every(([name, value]) => parsed.get(name)?.reveal() === value);
}

describe("json format", () => {
  it("round-trips every value", () => {
    fc.assert(
      fc.property(entriesArb(), (entries) => {
        assert.ok(sameValues(parseJson(formatJson(entries)), entries));
      }),
      RUNS,
    );
  });

  it("refuses non-string values by key, and bad JSON without quoting it", () => {
    assert.throws(() => parseJson('{"A": 1}'), /'A' must be a string \(it is a number\)/);
    assert.throws(() => parseJson("[]"), { code: "InvalidValue" });
    assert.throws(
      () => parseJson('{"A": "secret-text'),
      (error: Error) => !error.message.includes("secret-text") && /not valid JSON/.test(error.message),
    );
  });

  it("keeps names such as __proto__ as plain keys", () => {
    const parsed = parseJson(formatJson([["__proto__", "x"]]));
    assert.ok(parsed.get("__proto__")!.equals("x"));
  });
});

describe("shell format", () => {
  it("round-trips every value through parseShell", () => {
    fc.assert(
      fc.property(entriesArb(), (entries) => {
        assert.ok(sameValues(parseShell(formatShell(entries)), entries));
      }),
      RUNS,
    );
  });

  for (const shell of ["sh", "bash"]) {
    it(`gives back the same bytes when ${shell} sources it`, () => {
      fc.assert(
        fc.property(entriesArb(8), (generated) => {
          // Prefixed so that no name is one the shell owns (`_`, `PPID`, `IFS`...).
          const entries = generated.map(([n, v]): [string, string] => [`T_${n}`, v]);
          const script = `${formatShell(entries)}printf '%s\\0' ${entries.map(([n]) => `"$${n}"`).join(" ")}\n`;
          const run = spawnSync(shell, ["-s"], { input: script, encoding: "utf8" });
          assert.equal(run.status, 0, run.stderr);
          const values = run.stdout.split("\0").slice(0, -1);
          assert.ok(values.length === entries.length && values.every((v, i) => v === entries[i]![1]), "a value changed");
        }),
        { numRuns: 40 },
      );
    });
  }

  it("escapes single quotes the POSIX way and refuses NUL by name", () => {
    assert.equal(formatShell([["A", "it's"]]), "export A='it'\\''s'\n");
    assert.throws(() => formatShell([["A", "x\0y"]]), /value of A contains a NUL/);
  });

  it("reads hand-written assignments and refuses what needs a shell", () => {
    const parsed = parseShell("# c\nA=plain\nexport B=\"dq \\$ \\\" x\" ; C=a\\ b'c'\n");
    assert.ok(parsed.get("A")!.equals("plain"));
    assert.ok(parsed.get("B")!.equals('dq $ " x'));
    assert.ok(parsed.get("C")!.equals("a bc"));
    assert.throws(() => parseShell("A=$HOME\n"), /line 1: '\$' needs a shell/);
    assert.throws(() => parseShell('A="$(id)"\n'), /expansion/);
    assert.throws(() => parseShell("A=x y\n"), /one NAME=value/);
  });
});

describe("docker env-file format", () => {
  it("round-trips what docker can carry and refuses the rest by variable name", () => {
    fc.assert(
      fc.property(entriesArb(), (entries) => {
        const carried = entries.filter(([, v]) => dockerCannotCarry(v) === undefined);
        assert.ok(sameValues(parseDocker(formatDocker(carried)), carried));
        for (const [name, value] of entries) {
          if (dockerCannotCarry(value) === undefined) continue;
          assert.throws(
            () => formatDocker([[name, value]]),
            (error: Error & { code: string }) =>
              error.code === "InvalidValue" && error.message.includes(name) && (value.length < 3 || !error.message.includes(value)),
          );
        }
      }),
      RUNS,
    );
  });

  it("keeps whitespace, quotes inside, = and # as docker does", () => {
    const entries: [string, string][] = [
      ["A", "  padded  "],
      ["B", "a=b # c"],
      ["C", `it's "x"`],
      ["D", ""],
    ];
    assert.equal(formatDocker(entries), `A=  padded  \nB=a=b # c\nC=it's "x"\nD=\n`);
    assert.ok(sameValues(parseDocker(formatDocker(entries)), entries));
    assert.throws(() => formatDocker([["PEM", "a\nb"]]), /PEM contains a line break/);
    assert.throws(() => formatDocker([["Q", "'quoted'"]]), /Q starts and ends with the same quote/);
  });
});

describe("format registry", () => {
  it("names every format with a formatter and a parser", () => {
    for (const [name, format] of Object.entries(FORMATS)) {
      assert.equal(format.name, name);
      const text = format.format([["A_B", "v"]]);
      assert.ok(format.parse(text).get("A_B")!.equals("v"));
    }
  });
});
