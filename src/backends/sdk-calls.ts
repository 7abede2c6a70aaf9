import type { ObjectKind } from "../core/errors.js";
import { mapSdkError } from "./map-sdk-error.js";

/**
 * An SDK call or listing with its failures as our typed errors (map-sdk-error.ts), for every
 * kind's Key Vault backend: `name` and `kind` say which object the error is about.
 */
export async function callSdk<T>(vault: string, kind: ObjectKind, name: string | undefined, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw mapSdkError(error, vault, name, kind);
  }
}

export async function* listSdk<S, T>(vault: string, kind: ObjectKind, name: string | undefined, open: () => AsyncIterable<S>, map: (item: S) => T): AsyncIterable<T> {
  try {
    for await (const item of open()) yield map(item);
  } catch (error) {
    throw mapSdkError(error, vault, name, kind);
  }
}

/** The delete and recover pollers' interval, when the target set one (the SDK's default is 2 s). */
export function pollOptions(intervalMs: number | undefined): { intervalInMs?: number } {
  return intervalMs === undefined ? {} : { intervalInMs: intervalMs };
}
