import { isVaultLocked } from "../store/errors.js";

/** Key Vault's own clients give a request ~5 s of patience before retrying; we wait as long for a lock. */
const DEFAULT_PATIENCE_MS = 5000;
const FIRST_PAUSE_MS = 2;
const LONGEST_PAUSE_MS = 100;

/**
 * Runs a store operation; while another process holds the vault's write lock, runs it again after
 * a pause that doubles up to 100 ms, for up to `patienceMs`. The store answers at once when the
 * lock is taken (the server sets its busy timeout to 0), so the waiting happens between event-loop
 * turns: reads and other requests go on being served meanwhile. A synchronous result stays
 * synchronous (the common case, no promise on the hot path). The operation must be safe to repeat:
 * every store write is one transaction that a lock failure rolled back whole.
 */
export function retryWhileLocked<C, T>(operation: { run(context: C): T | Promise<T> }, context: C, patienceMs = DEFAULT_PATIENCE_MS): T | Promise<T> {
  // The operation and its argument rather than a closure over them: no allocation per request.
  try {
    const result = operation.run(context);
    return result instanceof Promise ? retryOnRejection(result, operation, context, patienceMs) : result;
  } catch (error) {
    if (!isVaultLocked(error)) throw error;
    return waitAndRetry(error, operation, context, Date.now() + patienceMs);
  }
}

/** Apart, so that its closure does not make every call allocate a context for the parameters. */
function retryOnRejection<C, T>(result: Promise<T>, operation: { run(context: C): T | Promise<T> }, context: C, patienceMs: number): Promise<T> {
  return result.catch((error: unknown) => waitAndRetry(error, operation, context, Date.now() + patienceMs));
}

async function waitAndRetry<C, T>(error: unknown, operation: { run(context: C): T | Promise<T> }, context: C, deadline: number): Promise<T> {
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    if (!isVaultLocked(error) || Date.now() + pause > deadline) throw error;
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
    try {
      return await operation.run(context);
    } catch (next) {
      error = next;
    }
  }
}
