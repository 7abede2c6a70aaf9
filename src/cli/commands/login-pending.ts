import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { isProcessAlive } from "../../core/process-alive.js";
import { setTimeout as sleep } from "node:timers/promises";
import { writeFileAtomically } from "../../core/atomic-file.js";
import { AuthenticationError } from "../../core/errors.js";
import { loginDir, pendingSignInFile, readSavedLogin, type SavedLogin } from "../../auth/login-files.js";
import { UsageError } from "../usage-error.js";

/** What the background worker of `--start-device-code` reports: the prompt, then the outcome. No device code, no token. */
export interface PendingSignIn {
  state: "prompt" | "done" | "failed";
  pid: number;
  userCode?: string;
  verificationUri?: string;
  message?: string;
  expiresOn?: string;
  username?: string;
  error?: string;
}

const START_WAIT_MS = 30_000;
const POLL_MS = 250;

export function readPendingSignIn(env: NodeJS.ProcessEnv, environment: string): PendingSignIn | undefined {
  try {
    return JSON.parse(readFileSync(pendingSignInFile(env, environment), "utf8")) as PendingSignIn;
  } catch {
    return undefined;
  }
}

export function writePendingSignIn(env: NodeJS.ProcessEnv, environment: string, pending: PendingSignIn): void {
  mkdirSync(loginDir(env), { recursive: true, mode: 0o700 });
  writeFileAtomically(pendingSignInFile(env, environment), JSON.stringify(pending) + "\n", 0o600);
}

export function clearPendingSignIn(env: NodeJS.ProcessEnv, environment: string): void {
  rmSync(pendingSignInFile(env, environment), { force: true });
}


/** The worker's prompt, once it has one; a worker that fails or dies first becomes an error. */
export async function waitForPrompt(env: NodeJS.ProcessEnv, environment: string, pid: number): Promise<PendingSignIn & { userCode: string; verificationUri: string; message: string }> {
  const deadline = Date.now() + START_WAIT_MS;
  for (;;) {
    const pending = readPendingSignIn(env, environment);
    if (pending?.state === "failed") {
      clearPendingSignIn(env, environment);
      throw new AuthenticationError(pending.error ?? "The sign-in failed.");
    }
    // "done" keeps the prompt's fields: a server that approves at once (--auto-approve) can finish
    // the sign-in before this first looks, and that is no reason to wait 30 s and fail.
    if ((pending?.state === "prompt" || pending?.state === "done") && pending.userCode && pending.verificationUri && pending.message) {
      return pending as PendingSignIn & { userCode: string; verificationUri: string; message: string };
    }
    if (!pending && !isProcessAlive(pid)) throw new AuthenticationError("The background sign-in stopped before it got a device code. Run 'orbitra login --use-device-code' to see why.");
    if (Date.now() > deadline) throw new AuthenticationError("No device code within 30 s: is the vault's identity provider reachable? Try 'orbitra login --use-device-code'.");
    await sleep(POLL_MS);
  }
}

/**
 * `--complete-device-code`: waits until the worker has saved the login (or failed, or the code
 * expired). Timing out leaves the sign-in pending, so the command can simply be run again.
 */
export async function awaitPendingSignIn(env: NodeJS.ProcessEnv, environment: string, signal: AbortSignal | undefined): Promise<SavedLogin> {
  if (!readPendingSignIn(env, environment)) {
    throw new UsageError(`No device-code sign-in was started for environment '${environment}': run 'orbitra login --env ${environment} --start-device-code' first.`);
  }
  for (;;) {
    const pending = readPendingSignIn(env, environment);
    if (!pending) throw new AuthenticationError("The pending sign-in was removed (by 'orbitra logout' or another login). Start again.");
    if (pending.state === "done") {
      clearPendingSignIn(env, environment);
      const saved = readSavedLogin(env, environment);
      if (!saved) throw new AuthenticationError("The sign-in finished but its login record is missing. Start again.");
      return saved;
    }
    if (pending.state === "failed") {
      clearPendingSignIn(env, environment);
      throw new AuthenticationError(pending.error ?? "The sign-in failed.");
    }
    const expired = pending.expiresOn !== undefined && Date.now() > Date.parse(pending.expiresOn) + 5_000;
    if (expired || !isProcessAlive(pending.pid)) {
      clearPendingSignIn(env, environment);
      throw new AuthenticationError(`The device code ${expired ? "expired" : "was abandoned"} before it was approved. Start again with --start-device-code.`);
    }
    if (signal?.aborted) {
      throw new AuthenticationError(`Still waiting for code ${pending.userCode ?? ""} to be approved; run --complete-device-code again later.`);
    }
    await sleep(POLL_MS);
  }
}
