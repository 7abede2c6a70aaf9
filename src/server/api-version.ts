import { badParameter, shorten } from "./errors.js";

/**
 * Every version the official SDKs send (docs/keyvault-wire.md §1): their `KnownVersions` plus 4.12's
 * default, and 7.4-preview.1, the default of Python's azure-keyvault-keys 4.8.0b3 (Debian's).
 */
export const SUPPORTED_API_VERSIONS: readonly string[] = [
  "7.0",
  "7.1",
  "7.2",
  "7.3",
  "7.4-preview.1",
  "7.4",
  "7.5",
  "7.6-preview.2",
  "7.6",
  "2025-06-01",
  "2025-07-01",
  "2026-04-01",
];

/** What the "not recognized" message recommends; the version @azure/keyvault-secrets 4.11 sends. */
export const LATEST_API_VERSION = "2025-07-01";

const SUPPORTED = new Set(SUPPORTED_API_VERSIONS);
const NEWEST_KNOWN_DATE = "2026-04-01";
const DATED = /^(\d{4})-(\d{2})-(\d{2})(-preview(\.\d{1,3})?)?$/;

/**
 * Key Vault's own answer to a version it does not know is 400 BadParameter. We are lenient in one
 * way: a well-formed date newer than the newest we know is accepted, so the next SDK release keeps
 * working against an older server (the secrets wire format has not changed between dated versions).
 */
export function checkApiVersion(version: string | null): string {
  if (version === null || version === "") {
    throw badParameter(`The api-version query parameter is missing. Consider using the latest supported version (${LATEST_API_VERSION}).`);
  }
  if (SUPPORTED.has(version) || isFutureDate(version)) return version;
  throw badParameter(
    `The specified version (${shorten(version, 40)}) is not recognized. Consider using the latest supported version (${LATEST_API_VERSION}).`,
  );
}

function isFutureDate(version: string): boolean {
  const match = DATED.exec(version);
  if (!match) return false;
  const day = `${match[1]}-${match[2]}-${match[3]}`;
  const parsed = new Date(`${day}T00:00:00Z`);
  // Round-tripping refuses impossible dates such as 2027-02-30.
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(day) && day > NEWEST_KNOWN_DATE;
}
