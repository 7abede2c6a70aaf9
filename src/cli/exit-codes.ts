import type { ErrorCode } from "../core/errors.js";

/**
 * Exit statuses are a contract scripts rely on (tested in test/cli/exit-codes.test.ts):
 * 0 ok, 2 usage, 3 not found, 4 permission denied, 5 configuration, 6 conflict,
 * 7 throttled or unavailable, 1 anything else; 130 for Ctrl-C, as a shell reports SIGINT (a raw-mode
 * prompt reads Ctrl-C as a key, and exits the same way).
 */
export const EXIT = Object.freeze({
  ok: 0,
  failure: 1,
  usage: 2,
  notFound: 3,
  permissionDenied: 4,
  configuration: 5,
  conflict: 6,
  unavailable: 7,
  interrupted: 130,
});

const BY_CODE: Record<ErrorCode, number> = {
  SecretNotFound: EXIT.notFound,
  KeyNotFound: EXIT.notFound,
  CertificateNotFound: EXIT.notFound,
  PermissionDenied: EXIT.permissionDenied,
  Authentication: EXIT.permissionDenied,
  Configuration: EXIT.configuration,
  SecretResolution: EXIT.configuration,
  InvalidName: EXIT.usage,
  InvalidValue: EXIT.usage,
  Conflict: EXIT.conflict,
  Throttled: EXIT.unavailable,
  Unavailable: EXIT.unavailable,
  Internal: EXIT.failure,
};

export function exitCodeFor(code: ErrorCode): number {
  return BY_CODE[code] ?? EXIT.failure;
}
