/** One request as the access log records it: never a body, a header value or a query string. */
export interface AccessEntry {
  vault: string;
  method: string;
  /** The path only; names are not secret, values never travel in a path. */
  path: string;
  status: number;
  ms: number;
}

/** `dev GET /secrets/db-password/ 200 0.4ms`: one line, no control characters, bounded length. */
export function formatAccessLine(entry: AccessEntry): string {
  return `${clean(entry.vault, 30)} ${clean(entry.method, 16)} ${clean(entry.path, 300)} ${entry.status} ${entry.ms.toFixed(1)}ms`;
}

function clean(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- a path with control characters must not forge log lines
  const safe = text.replace(/[\u0000-\u001f\u007f\s]/g, "?");
  return safe.length > max ? `${safe.slice(0, max)}...` : safe;
}
