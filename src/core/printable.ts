/** Text from outside (names, references, methods) on its way into a message or a log line. */

/** Control characters replaced by `?`, so a name cannot forge lines or escape sequences in a terminal or log. */
export function scrubControl(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we strip
  return text.replace(/[\u0000-\u001f\u007f]/g, "?");
}

/** {@link scrubControl}, and at most `max` characters (the last three `...` when cut). */
export function printable(text: string, max = 60): string {
  const clean = scrubControl(text);
  return clean.length > max ? `${clean.slice(0, max - 3)}...` : clean;
}
