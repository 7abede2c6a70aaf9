/** A mistake in how the command was called (missing name, conflicting flags): exit 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
