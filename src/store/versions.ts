import { randomBytes } from "node:crypto";

/** Key Vault's version ids: 32 lowercase hex characters, random, so they reveal no order or count. */
export const VERSION_ID = /^[0-9a-f]{32}$/;

export function newVersionId(): string {
  return randomBytes(16).toString("hex");
}

/** Version ids compare case-insensitively (as identifiers do); the table keeps them lowercase. */
export function versionKey(version: string): string {
  return version.toLowerCase();
}
