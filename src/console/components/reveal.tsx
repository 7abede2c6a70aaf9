import { useEffect, useState } from "preact/hooks";
import type { VaultApi } from "../api.js";
import { errorNote } from "./notice.js";
import type { Notify } from "../app.js";

/** How long a revealed value stays on screen. */
export const REVEAL_MS = 15_000;

/**
 * A version's value is fetched only when asked for. "Reveal" shows it until the timer (or "Hide")
 * takes it out of the DOM again; "Copy" fetches it straight to the clipboard and never renders it.
 */
export function RevealCopy({ api, name, version, notify }: { api: VaultApi; name: string; version: string; notify: Notify }) {
  const [value, setValue] = useState<string | undefined>();
  useEffect(() => {
    if (value === undefined) return;
    const timer = setTimeout(() => setValue(undefined), REVEAL_MS);
    return () => clearTimeout(timer);
  }, [value]);
  // Leaving the view drops the value with the component; nothing else holds it.
  const reveal = async () => {
    try {
      setValue(await api.getValue(name, version));
    } catch (error) {
      notify(errorNote(error));
    }
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(await api.getValue(name, version));
      notify({ kind: "ok", text: `Copied the value of '${name}' to the clipboard.` });
    } catch (error) {
      notify(errorNote(error));
    }
  };
  return (
    <div class="reveal">
      {value === undefined ? (
        <button onClick={reveal} aria-label={`Reveal the value of version ${version.slice(0, 8)}`}>
          Reveal
        </button>
      ) : (
        <>
          <code class="value" data-testid="revealed-value">
            {value}
          </code>
          <button onClick={() => setValue(undefined)}>Hide</button>
        </>
      )}
      <button onClick={copy} aria-label={`Copy the value of version ${version.slice(0, 8)}`}>
        Copy
      </button>
    </div>
  );
}
