import { ApiError } from "../api.js";

export interface Note {
  kind: "ok" | "error";
  text: string;
  /** Survives the next change of view: the outcome of an action that then moves to another view. */
  carry?: boolean;
}

/** What an action did, or why it was refused (Key Vault's own message, e.g. a 403's missing permission). */
export function Notice({ note, onClose }: { note: Note | undefined; onClose: () => void }) {
  return (
    <div aria-live="polite" class="notice-slot">
      {note ? (
        <div class={`notice ${note.kind}`} role={note.kind === "error" ? "alert" : "status"}>
          <span>{note.text}</span>
          <button class="link" onClick={onClose} aria-label="Dismiss">
            ×
          </button>
        </div>
      ) : null}
    </div>
  );
}

export function errorNote(error: unknown): Note {
  if (error instanceof ApiError) return { kind: "error", text: error.status === 403 ? `Not allowed: ${error.message}` : error.message };
  return { kind: "error", text: error instanceof Error ? error.message : "Something went wrong." };
}
