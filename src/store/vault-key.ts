import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { ConfigurationError } from "../core/errors.js";

export const KEY_BYTES = 32;

export interface KeySource {
  key?: Uint8Array | undefined;
  keyFile: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The vault key: the `key` option, else `ORBITRA_VAULT_KEY` (base64 of 32 bytes), else the key
 * file. The file is created only for a vault that holds no data yet (`mayCreate`): for one that
 * does, a missing key file means the key was lost or moved, and a fresh random key would only
 * hide that behind a "wrong key" error.
 */
export function resolveVaultKey(source: KeySource, mayCreate: boolean): Buffer {
  if (source.key !== undefined) {
    if (source.key.length !== KEY_BYTES) throw new ConfigurationError(`The vault key must be ${KEY_BYTES} bytes, not ${source.key.length}.`);
    return Buffer.from(source.key);
  }
  const fromEnv = keyFromEnv(source.env, "ORBITRA_VAULT_KEY");
  if (fromEnv) return fromEnv;
  const existing = readKeyFile(source.keyFile);
  if (existing) return existing;
  if (!mayCreate) {
    throw new ConfigurationError(
      `The vault key ${source.keyFile} is missing, and the vault holds data sealed with it. Put the key file back (or set ORBITRA_VAULT_KEY to the key this vault was made with).`,
    );
  }
  return createKeyFile(source.keyFile);
}

/** A key from an environment variable (base64 of 32 bytes), if it is set. */
export function keyFromEnv(env: NodeJS.ProcessEnv, variable: string): Buffer | undefined {
  const text = env[variable];
  if (!text) return undefined;
  const key = Buffer.from(text, "base64");
  if (key.length !== KEY_BYTES) {
    throw new ConfigurationError(`${variable} must be the base64 of ${KEY_BYTES} random bytes (e.g. from 'openssl rand -base64 32').`);
  }
  return key;
}

/**
 * Writes a private temp file, syncs it, and hard-links it into place: link() fails when the name
 * exists, so two processes racing on a new vault both end up reading the one key that won.
 */
export function createKeyFile(keyFile: string): Buffer {
  mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
  const temp = `${keyFile}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const fd = openSync(temp, "wx", 0o600);
  try {
    writeSync(fd, randomBytes(KEY_BYTES));
    // A key lost to a power cut after data was sealed with it would make the vault unreadable.
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, keyFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
      throw new ConfigurationError(`Cannot create the vault key ${keyFile}: ${(error as Error).message}.`, { cause: error });
    }
  } finally {
    unlinkSync(temp);
  }
  const key = readKeyFile(keyFile);
  if (!key) throw new ConfigurationError(`Could not create the vault key ${keyFile}.`);
  return key;
}

export function readKeyFile(keyFile: string): Buffer | undefined {
  let key: Buffer;
  try {
    key = readFileSync(keyFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ConfigurationError(`Cannot read the vault key ${keyFile}: ${(error as Error).message}.`, { cause: error });
  }
  if (key.length !== KEY_BYTES) {
    throw new ConfigurationError(
      `The vault key ${keyFile} is ${key.length} bytes, not ${KEY_BYTES}: it is damaged. Restore it from a backup; without it the vault cannot be read.`,
    );
  }
  return key;
}
