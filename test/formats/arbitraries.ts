import fc from "fast-check";

/** Characters and sequences that break naive quoting, plus ordinary text. */
const tricky = fc.constantFrom(
  "$", "${HOME}", "$(id)", "'", '"', "`", "\\", "\\n", "\\r", "\\\\", '\\"', "=", "#", " #", "\n", "\r\n", "\r",
  " ", "\t", "é", "😀", "中文", "\u2028", "\u00a0", "a", "Z", "0", "-", "_", "-----BEGIN PRIVATE KEY-----",
);

/** Values a secret may hold: tricky pieces joined, arbitrary unicode, or PEM-like blocks. */
export const secretValue: fc.Arbitrary<string> = fc.oneof(
  fc.array(tricky, { maxLength: 16 }).map((parts) => parts.join("")),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary-ascii", maxLength: 40 }).filter((s) => !s.includes("\0")),
  fc
    .array(fc.base64String({ minLength: 4, maxLength: 64 }), { minLength: 1, maxLength: 4 })
    .chain((lines) =>
      fc.constantFrom("\n", "\r\n").map((eol) => ["-----BEGIN PRIVATE KEY-----", ...lines, "-----END PRIVATE KEY-----", ""].join(eol)),
    ),
);

/** Distinct variable names. */
export const envNames = (min: number, max: number): fc.Arbitrary<string[]> =>
  fc.uniqueArray(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,12}$/), { minLength: min, maxLength: max });

/** A list of [NAME, value] with distinct names. */
export const entriesArb = (max = 6): fc.Arbitrary<[string, string][]> =>
  envNames(1, max).chain((names) =>
    fc.tuple(...names.map(() => secretValue)).map((values) => names.map((n, i): [string, string] => [n, values[i]!])),
  );

export const RUNS = { numRuns: Number(process.env.FC_RUNS ?? 300) };
