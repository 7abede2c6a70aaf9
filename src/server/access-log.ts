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

/**
 * Logs a reply that did not come through the vault handler (identity, ARM) under `label`, e.g.
 * `login POST /<tenant>/oauth2/v2.0/token 200 3.1ms`; the query string is left out as always.
 */
export function logReply<R extends { status: number }>(
  log: ((line: string) => void) | undefined,
  label: string,
  request: { method: string; target: string },
  started: number,
  reply: R | Promise<R>,
): R | Promise<R> {
  if (!log) return reply;
  const write = (r: R) => {
    log(formatAccessLine({ vault: label, method: request.method, path: request.target.split("?")[0]!, status: r.status, ms: performance.now() - started }));
    return r;
  };
  return reply instanceof Promise ? reply.then(write) : write(reply);
}
