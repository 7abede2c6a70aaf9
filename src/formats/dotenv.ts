import { InvalidValueError } from "../core/errors.js";
import {
  addParsed,
  assertEnvVarName,
  hasLoneSurrogate,
  revealValue,
  type Entries,
  type ParsedEntries,
} from "./entries.js";

/**
 * `.env` files, written so that both {@link parseDotenv} and the `dotenv` npm package (17.x)
 * read back the exact bytes.
 *
 * Quoting is chosen per value, first that fits:
 *
 * | form            | when                                                                 |
 * | --------------- | -------------------------------------------------------------------- |
 * | `K=''`          | the empty value                                                      |
 * | `K=value`       | Unicode letters and digits, and `_ . , : @ % + = / ~ ^ -` only       |
 * | `K='value'`     | no `'`, no CR, does not end in `\` (newlines are written as they are) |
 * | `K="value"`     | no `"`, no `\` before `n`, `r`, `\`, `"` or a line break, not ending in `\`; CR and LF are written `\r` `\n` |
 * | `` K=`value` `` | no backtick, no CR, does not end in `\`                              |
 * | `K=value`       | one line, no `#`, no surrounding whitespace, no leading quote         |
 *
 * Why these rules: dotenv turns CRs into LFs before parsing, so a CR survives only as `\r` in
 * double quotes; double quotes expand `\n` and `\r` and nothing else (no escape for `"` or `\`);
 * and a closing quote preceded by `\` can be taken as escaped, letting the value swallow later
 * lines. Single quotes come before double so that `$` stays literal for tools that expand.
 *
 * What dotenv cannot carry at all: a CR together with a `"` (or a `\n`-like sequence, or a final
 * `\`), and values that need quotes yet hold all three quote characters or end in `\`. By
 * default ({@link DotenvFormatOptions.portable}) such a value throws `InvalidValueError`
 * naming the variable. With `portable: false` it is written double-quoted with `\\ \" \n \r`
 * escapes, which {@link parseDotenv} reads back exactly but the dotenv package does not.
 */
export interface DotenvFormatOptions {
  /**
   * `true` (default): refuse a value the `dotenv` package would read back differently.
   * `false`: write it in the escaped form that only {@link parseDotenv} reads back exactly.
   */
  portable?: boolean;
}

/** How {@link formatDotenv} writes a value; `escaped` is the form the dotenv package misreads. */
export type DotenvQuoting = "bare" | "single" | "double" | "backtick" | "escaped";

const SAFE_BARE = /^[\p{L}\p{N}_.,:@%+=/~^-]+$/u;
/** Sequences our double-quote parser and dotenv's read differently, or that dotenv expands. */
const DOUBLE_UNSAFE = /["]|\\[nr\\"\n\r]|\\$/;

/** The quoting {@link formatDotenv} uses for `value` (for a CLI that wants to warn ahead of time). */
export function dotenvQuoting(value: string): DotenvQuoting {
  if (value === "") return "single";
  if (SAFE_BARE.test(value)) return "bare";
  const endsInBackslash = value.endsWith("\\");
  const hasCr = value.includes("\r");
  if (!value.includes("'") && !hasCr && !endsInBackslash) return "single";
  if (!DOUBLE_UNSAFE.test(value)) return "double";
  if (!value.includes("`") && !hasCr && !endsInBackslash) return "backtick";
  // U+2028 and U+2029 end a line for the dotenv package's regex as \n does, so a bare value stops there.
  if (!/[\r\n\u2028\u2029#]/.test(value) && value === value.trim() && !/^['"`]/.test(value)) return "bare";
  return "escaped";
}

/**
 * Writes `NAME=value` lines, one entry after another, ending in a newline. Names must be variable
 * names (use {@link toEnvName}); values are revealed here, the point where they leave the program.
 * Throws `InvalidValueError` naming the variable (never the value) when a value cannot be written.
 */
export function formatDotenv(entries: Entries, options: DotenvFormatOptions = {}): string {
  const portable = options.portable ?? true;
  let out = "";
  for (const [name, entryValue] of entries) {
    assertEnvVarName(name, "dotenv");
    const value = revealValue(entryValue);
    if (hasLoneSurrogate(value)) {
      throw new InvalidValueError(`The value of ${name} is not valid Unicode text, which a .env file cannot carry.`, { secretName: name });
    }
    const quoting = dotenvQuoting(value);
    if (quoting === "escaped" && portable) {
      throw new InvalidValueError(
        `The value of ${name} cannot be written so that the dotenv package reads it back unchanged ` +
          `(it mixes a carriage return or trailing backslash with quote characters). Use the json format, ` +
          `or allow orbitra's escaped form (portable: false), which only orbitra import reads exactly.`,
        { secretName: name },
      );
    }
    out += `${name}=${quote(value, quoting)}\n`;
  }
  return out;
}

function quote(value: string, quoting: DotenvQuoting): string {
  switch (quoting) {
    case "bare":
      return value;
    case "single":
      return `'${value}'`;
    case "backtick":
      return `\`${value}\``;
    case "double":
      return `"${value.replace(/\r/g, "\\r").replace(/\n/g, "\\n")}"`;
    case "escaped":
      return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r/g, "\\r").replace(/\n/g, "\\n")}"`;
  }
}

/**
 * Reads a `.env` text. The rules are dotenv 17's, made strict:
 *
 * - blank lines and lines starting with `#` are skipped; `export ` before a name is allowed;
 * - line breaks may be LF, CRLF or CR (all read as LF, as dotenv does), and a UTF-8 BOM is skipped;
 * - `'...'` and `` `...` `` are literal and may span lines;
 * - `"..."` may span lines and understands `\n`, `\r`, and also `\\` and `\"` (as python-dotenv and
 *   compose do; dotenv has no escape for them); any other `\x` stays as it is;
 * - an unquoted value runs to the end of the line or to a `#`, and is trimmed;
 * - after a closing quote only spaces and a `# comment` may follow.
 *
 * Unlike dotenv, which skips what it cannot read, a malformed line throws `InvalidValueError`
 * with its line number (never its text: it may hold a value). A repeated name keeps its last value.
 */
export function parseDotenv(text: string): ParsedEntries {
  const src = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const out: ParsedEntries = new Map();
  const scanner = new Scanner(src);
  for (;;) {
    scanner.skipBlankAndComments();
    if (scanner.done()) return out;
    const at = scanner.position();
    scanner.match(/export[ \t]+(?=[\w.-]+[ \t]*=)/y);
    const name = scanner.match(/[\w.-]+/y);
    if (name === undefined) throw scanner.fail(at, "expected NAME=value");
    scanner.match(/[ \t]*/y);
    if (scanner.match(/=/y) === undefined) throw scanner.fail(at, `expected '=' after ${name}`);
    scanner.match(/[ \t]*/y);
    addParsed(out, name, scanner.value(at));
  }
}

class Scanner {
  #pos = 0;
  readonly #src: string;

  constructor(src: string) {
    this.#src = src;
  }

  done(): boolean {
    return this.#pos >= this.#src.length;
  }

  position(): number {
    return this.#pos;
  }

  /** An error about the entry that starts at `at`, naming its line (never its text: it may hold a value). */
  fail(at: number, what: string): InvalidValueError {
    let line = 1;
    for (let i = 0; i < at; i++) if (this.#src.charCodeAt(i) === 10) line++;
    return new InvalidValueError(`Cannot read the .env text at line ${line}: ${what}.`);
  }

  match(sticky: RegExp): string | undefined {
    sticky.lastIndex = this.#pos;
    const m = sticky.exec(this.#src);
    if (!m) return undefined;
    this.#pos += m[0].length;
    return m[0];
  }

  skipBlankAndComments(): void {
    while (this.match(/[ \t\n]+/y) !== undefined || this.match(/#[^\n]*/y) !== undefined) {
      // keep skipping
    }
  }

  value(at: number): string {
    const open = this.#src[this.#pos];
    if (open === "'" || open === "`") {
      const close = this.#src.indexOf(open, this.#pos + 1);
      if (close < 0) throw this.fail(at, `the ${open === "'" ? "single" : "back"} quote is never closed`);
      const value = this.#src.slice(this.#pos + 1, close);
      this.#pos = close + 1;
      this.#endOfLine(at);
      return value;
    }
    if (open === '"') return this.#doubleQuoted(at);
    const raw = this.match(/[^#\n]*/y) ?? "";
    this.match(/#[^\n]*/y);
    return raw.trim();
  }

  #doubleQuoted(at: number): string {
    let value = "";
    let i = this.#pos + 1;
    for (;;) {
      if (i >= this.#src.length) throw this.fail(at, "the double quote is never closed");
      const c = this.#src[i]!;
      if (c === '"') break;
      if (c === "\\" && i + 1 < this.#src.length) {
        const next = this.#src[i + 1]!;
        const escaped = next === "n" ? "\n" : next === "r" ? "\r" : next === "\\" || next === '"' ? next : undefined;
        if (escaped !== undefined) {
          value += escaped;
          i += 2;
          continue;
        }
      }
      value += c;
      i++;
    }
    this.#pos = i + 1;
    this.#endOfLine(at);
    return value;
  }

  #endOfLine(at: number): void {
    this.match(/[ \t]*(?:#[^\n]*)?/y);
    if (!this.done() && this.#src[this.#pos] !== "\n") throw this.fail(at, "unexpected text after the closing quote");
  }
}
