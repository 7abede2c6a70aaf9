import { useCallback, useEffect, useState } from "preact/hooks";
import { errorNote } from "./notice.js";
import type { Notify } from "../app.js";

/** Loads once and on reload(); a refusal shows as a notice, the view stays usable. */
export function useLoad<T>(load: () => Promise<T>, notify: Notify, deps: unknown[]): { data: T | undefined; reload: () => void } {
  const [data, setData] = useState<T | undefined>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (d) => live && setData(d),
      (e) => live && notify(errorNote(e)),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { data, reload: useCallback(() => setTick((t) => t + 1), []) };
}

/** Runs an action, reports its outcome, and refreshes on success. */
export function useAction(notify: Notify) {
  return useCallback(
    async (run: () => Promise<unknown>, done: string, after?: () => void, carry = false) => {
      try {
        await run();
        notify({ kind: "ok", text: done, carry });
        after?.();
        return true;
      } catch (error) {
        notify(errorNote(error));
        return false;
      }
    },
    [notify],
  );
}
