import { randomBytes } from "node:crypto";
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { ConfigurationError } from "../core/errors.js";

export const KEY_BYTES = 32;

/**
 * The vault key: `ORBITRA_VAULT_KEY` (base64 of 32 bytes) when set, else a 0600 file beside the
 * database, created on first use. Creation writes a private temp file and hard-links it into
 * place, which fails if the name exists: two processes racing on a new vault agree on one key.
 */
export function loadVaultKey(keyFile: string, env: NodeJS.ProcessEnv): Buffer {
  const fromEnv = env.ORBITRA_VAULT_KEY;
  if (fromEnv) {
    const key = Buffer.from(fromEnv, "base64");
    if (key.length !== KEY_BYTES) {
      throw new ConfigurationError(
        `ORBITRA_VAULT_KEY must be the base64 of ${KEY_BYTES} random bytes (e.g. from 'openssl rand -base64 32').`,
      );
    }
    return key;
  }
  const existing = readKeyFile(keyFile);
  if (existing) return existing;
  mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
  const temp = `${keyFile}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const fd = openSync(temp, "wx", 0o600);
  try {
    writeSync(fd, randomBytes(KEY_BYTES));
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, keyFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(temp);
  }
  const key = readKeyFile(keyFile);
  if (!key) throw new ConfigurationError(`Could not create the vault key ${keyFile}.`);
  return key;
}

function readKeyFile(keyFile: string): Buffer | undefined {
  let key: Buffer;
  try {
    key = readFileSync(keyFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ConfigurationError(`Cannot read the vault key ${keyFile}: ${(error as Error).message}.`);
  }
  if (key.length !== KEY_BYTES) {
    throw new ConfigurationError(
      `The vault key ${keyFile} is ${key.length} bytes, not ${KEY_BYTES}: it is damaged. Restore it from a backup; without it the vault cannot be read.`,
    );
  }
  return key;
}
