/**
 * Thrown by a command that ends with a status of its own rather than an error (`orbitra run`
 * returns its child's exit code). `runCli` turns it into the return value; nothing is printed.
 */
export class ExitRequest {
  constructor(readonly code: number) {}
}
