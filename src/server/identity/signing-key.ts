import { createHash, generateKeyPairSync, type KeyObject } from "node:crypto";
import { chmodSync, openSync, readFileSync, writeSync, closeSync } from "node:fs";
import { join } from "node:path";
import { ConfigurationError } from "../../core/errors.js";
import { privateKeyFromPem, publicKeyOf } from "./jwt.js";

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** A short fingerprint of the public key, the JWT `kid` and the JWKS entry's id. */
  keyId: string;
}

export const SIGNING_KEY_FILE = "token-signing-key.pem";

/**
 * The server's token-signing key (P-256): `<data>/token-signing-key.pem`, created 0600 on first
 * use and reused, so tokens survive a restart. Created with O_EXCL: two servers starting on the
 * same folder cannot each write a different key.
 */
export function loadSigningKey(dataDir: string): SigningKey {
  const file = join(dataDir, SIGNING_KEY_FILE);
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new ConfigurationError(`Cannot read the token-signing key ${file}: ${(error as Error).message}.`);
    }
    pem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    try {
      const fd = openSync(file, "wx", 0o600);
      try {
        writeSync(fd, pem);
      } finally {
        closeSync(fd);
      }
      chmodSync(file, 0o600);
    } catch (writeError) {
      if ((writeError as NodeJS.ErrnoException).code !== "EEXIST") throw writeError;
      pem = readFileSync(file, "utf8");
    }
  }
  const privateKey = privateKeyFromPem(pem);
  const publicKey = publicKeyOf(privateKey);
  const der = publicKey.export({ type: "spki", format: "der" });
  const keyId = createHash("sha256").update(der).digest("base64url").slice(0, 16);
  return { privateKey, publicKey, keyId };
}
