import { InvalidValueError } from "../core/errors.js";
import {
  addParsed,
  assertEnvVarName,
  assertNoNul,
  hasLoneSurrogate,
  revealValue,
  type Entries,
  type ParsedEntries,
} from "./entries.js";

/**
 * POSIX shell: one `export NAME='value'` per line, for `eval "$(orbitra export --format shell)"`
 * or `. ./secrets.sh`. Inside single quotes nothing is special to the shell, so the only thing to
 * escape is `'` itself, written `'\''` (close, escaped quote, reopen). Newlines and CRs are written
 * as they are and survive (`sh`, `bash`, `dash`, `zsh`). A NUL cannot be in a variable, so a value
 * with one throws `InvalidValueError` naming the variable.
 */
export function formatShell(entries: Entries): string {
  let out = "";
  for (const [name, entryValue] of entries) {
    assertEnvVarName(name, "shell");
    const value = revealValue(entryValue);
    assertNoNul(name, value, "shell");
    if (hasLoneSurrogate(value)) {
      throw new InvalidValueError(`The value of ${name} is not valid Unicode text, which a shell script cannot carry.`, {
        secretName: name,
      });
    }
    out += `export ${name}=${shellQuote(value)}\n`;
  }
  return out;
}

/** `value` as one single-quoted shell word: `it's` -> `'it'\''s'`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/**
 * Reads assignments as {@link formatShell} writes them, and the plain forms people write by hand:
 * `[export] NAME=WORD` where WORD joins single-quoted parts, double-quoted parts (with `\\ \" \$`
 * and `` \` `` escapes), backslash escapes and plain characters. Blank lines and `#` comments are
 * skipped. Anything that would need a shell to evaluate (`$VAR`, `$(...)`, backticks, globs, `;`,
 * several words) throws `InvalidValueError` with the line number, never the text.
 */
export function parseShell(text: string): ParsedEntries {
  const src = text.replace(/^\uFEFF/, "");
  const out: ParsedEntries = new Map();
  let pos = 0;
  const fail = (at: number, what: string): InvalidValueError => {
    let line = 1;
    for (let i = 0; i < at; i++) if (src.charCodeAt(i) === 10) line++;
    return new InvalidValueError(`Cannot read the shell text at line ${line}: ${what}.`);
  };
  const sticky = (re: RegExp): string | undefined => {
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) return undefined;
    pos += m[0].length;
    return m[0];
  };
  for (;;) {
    while (sticky(/[ \t\r\n;]+/y) !== undefined || sticky(/#[^\n]*/y) !== undefined) {
      // skip blank lines, separators and comments
    }
    if (pos >= src.length) return out;
    const at = pos;
    sticky(/export[ \t]+/y);
    const name = sticky(/[A-Za-z_][A-Za-z0-9_]*(?==)/y);
    if (name === undefined) throw fail(at, "expected [export] NAME=value");
    pos++; // the '='
    let value = "";
    for (;;) {
      const c = src[pos];
      if (c === undefined || c === "\n" || c === ";" || c === " " || c === "\t" || (c === "\r" && src[pos + 1] === "\n")) break;
      if (c === "'") {
        const close = src.indexOf("'", pos + 1);
        if (close < 0) throw fail(at, "the single quote is never closed");
        value += src.slice(pos + 1, close);
        pos = close + 1;
      } else if (c === '"') {
        pos++;
        for (;;) {
          const d = src[pos];
          if (d === undefined) throw fail(at, "the double quote is never closed");
          if (d === '"') break;
          if (d === "$" || d === "`") throw fail(at, "expansion ($ or `) inside double quotes is not supported");
          if (d === "\\" && pos + 1 < src.length && '\\"$`\n'.includes(src[pos + 1]!)) {
            if (src[pos + 1] !== "\n") value += src[pos + 1];
            pos += 2;
            continue;
          }
          value += d;
          pos++;
        }
        pos++;
      } else if (c === "\\") {
        const next = src[pos + 1];
        if (next === undefined) throw fail(at, "a backslash ends the text");
        if (next !== "\n") value += next;
        pos += 2;
      } else if (/[$`|&<>(){}*?[\]~]/.test(c)) {
        throw fail(at, `'${c}' needs a shell to evaluate; quote the value`);
      } else {
        value += c;
        pos++;
      }
    }
    sticky(/[ \t]*(?:#[^\n]*)?/y);
    const c = src[pos];
    if (c !== undefined && c !== "\n" && c !== ";" && !(c === "\r" && src[pos + 1] === "\n")) {
      throw fail(at, "only one NAME=value per command is supported");
    }
    addParsed(out, name, value);
  }
}
