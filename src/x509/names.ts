import { invalidProperty } from "./errors.js";

/**
 * Attribute types a subject may name, case-insensitive as Key Vault takes them (the SDK's default
 * subject is `cn=MyCert`), mapped to the spelling @peculiar/x509 knows. A dotted OID is taken too.
 */
const TYPES: Record<string, string> = {
  CN: "CN",
  C: "C",
  L: "L",
  ST: "ST",
  S: "ST",
  O: "O",
  OU: "OU",
  DC: "DC",
  E: "E",
  EMAIL: "E",
  EMAILADDRESS: "E",
  G: "G",
  GN: "G",
  SN: "SN",
  T: "T",
  TITLE: "T",
  I: "I",
};

/**
 * Checks an RFC 4514 distinguished name and returns it with canonical attribute types, for
 * @peculiar/x509's `Name` (which silently drops what it cannot read, and so cannot be the check).
 */
export function parseSubject(subject: string): string {
  const fail = (why: string) => invalidProperty("x509_props.subject", subject, why);
  const rdns = splitUnescaped(subject, ",");
  const out: string[] = [];
  for (const rdn of rdns) {
    const parts: string[] = [];
    for (const ava of splitUnescaped(rdn, "+")) {
      const eq = ava.indexOf("=");
      if (eq <= 0) throw fail("A subject is a distinguished name such as CN=example, O=Contoso.");
      const rawType = ava.slice(0, eq).trim();
      const value = ava.slice(eq + 1).trim();
      const type = /^[0-2](\.(0|[1-9][0-9]*))+$/.test(rawType) ? rawType : TYPES[rawType.toUpperCase()];
      if (type === undefined) throw fail(`Unknown attribute type ${rawType}.`);
      if (value === "" || /(^|[^\\])(\\\\)*\\$/.test(value)) throw fail(`The value of ${rawType} is empty or ends in a lone backslash.`);
      if (type === "C" && !/^[A-Za-z]{2}$/.test(value)) throw fail("A country (C) is a two-letter code.");
      parts.push(`${type}=${value}`);
    }
    out.push(parts.join("+"));
  }
  return out.join(", ");
}

/** Splits on `separator` where it is neither escaped (`\,`) nor inside a quoted value. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\\" && i + 1 < text.length) {
      current += ch + text[++i]!;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === separator && !quoted) {
      parts.push(current);
      current = "";
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}
