/**
 * Thrown by a command that ends with a status of its own rather than an error (`orbitra run`
 * returns its child's exit code). `runCli` turns it into the return value, printing the note
 * (one line on stderr) when there is one.
 */
export class ExitRequest {
  constructor(
    readonly code: number,
    readonly note?: string,
  ) {}
}
