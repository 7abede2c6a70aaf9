import { badParameter } from "./http-error.js";

/** Every version the official SDKs send (fact sheet §1). */
export const SUPPORTED_API_VERSIONS: readonly string[] = [
  "7.0",
  "7.1",
  "7.2",
  "7.3",
  "7.4",
  "7.5",
  "7.6-preview.2",
  "7.6",
  "2025-06-01",
  "2025-07-01",
  "2026-04-01",
];
export const LATEST_API_VERSION = "2025-07-01";
const SUPPORTED = new Set(SUPPORTED_API_VERSIONS);

/** Key Vault's own answer to a version it does not know: 400 BadParameter. */
export function checkApiVersion(version: string | null): string {
  if (version === null || version === "") {
    throw badParameter("The api-version query parameter is required. Consider using the latest supported version (2025-07-01).");
  }
  if (!SUPPORTED.has(version)) {
    throw badParameter(
      `The specified version (${version.slice(0, 40)}) is not recognized. Consider using the latest supported version (${LATEST_API_VERSION}).`,
    );
  }
  return version;
}
