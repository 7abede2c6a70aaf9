import { randomBytes } from "node:crypto";

/**
 * A new client secret: `bytes` random bytes in base64url, never starting with `-`, which command
 * lines (az login -p, most option parsers) would read as an option rather than as the value.
 */
export function newClientSecret(bytes = 32): string {
  for (;;) {
    const secret = randomBytes(bytes).toString("base64url");
    if (!secret.startsWith("-")) return secret;
  }
}
