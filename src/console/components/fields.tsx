import { useState } from "preact/hooks";

let counter = 0;
/** A stable id per field, so every input has a <label for>. */
export function useId(prefix: string): string {
  const [id] = useState(() => `${prefix}-${++counter}`);
  return id;
}

/** A secret's value, typed or read from a file. The text stays in the form only until it is sent. */
export function ValueInput({ value, onValue }: { value: string; onValue: (v: string) => void }) {
  const id = useId("value");
  const fileId = useId("file");
  return (
    <div class="field">
      <label for={id}>Value</label>
      <textarea id={id} value={value} rows={3} autocomplete="off" spellcheck={false} onInput={(e) => onValue(e.currentTarget.value)} />
      <label for={fileId} class="file-label">
        or read it from a file
      </label>
      <input id={fileId} type="file" onChange={async (e) => {
        const file = e.currentTarget.files?.[0];
        if (file) onValue(await file.text());
      }} />
    </div>
  );
}

/** `YYYY-MM-DDTHH:MM` (UTC) from seconds since the epoch, for a datetime-local input. */
export function toInput(seconds: number | undefined): string {
  return seconds === undefined ? "" : new Date(seconds * 1000).toISOString().slice(0, 16);
}

export function fromInput(text: string): number | undefined {
  return text ? Math.floor(Date.parse(`${text}:00Z`) / 1000) : undefined;
}

export function DateField({ label, value, onValue }: { label: string; value: string; onValue: (v: string) => void }) {
  const id = useId("date");
  return (
    <div class="field">
      <label for={id}>{label} (UTC)</label>
      <input id={id} type="datetime-local" value={value} onInput={(e) => onValue(e.currentTarget.value)} />
    </div>
  );
}

export function TextField({ label, value, onValue, pattern, required }: { label: string; value: string; onValue: (v: string) => void; pattern?: string; required?: boolean }) {
  const id = useId("text");
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} value={value} pattern={pattern} required={required} autocomplete="off" onInput={(e) => onValue(e.currentTarget.value)} />
    </div>
  );
}

export type TagRows = { key: string; value: string }[];

export function tagRows(tags: Record<string, string> | undefined): TagRows {
  return Object.entries(tags ?? {}).map(([key, value]) => ({ key, value }));
}

export function tagsOf(rows: TagRows): Record<string, string> {
  return Object.fromEntries(rows.filter((r) => r.key.trim()).map((r) => [r.key.trim(), r.value]));
}

/** Tags as rows of name and value; an empty name drops the row. */
export function TagsEditor({ rows, onRows }: { rows: TagRows; onRows: (rows: TagRows) => void }) {
  const set = (i: number, part: "key" | "value", text: string) => onRows(rows.map((r, j) => (j === i ? { ...r, [part]: text } : r)));
  return (
    <fieldset class="tags">
      <legend>Tags</legend>
      {rows.map((row, i) => (
        <div class="tag-row">
          <input aria-label={`Tag ${i + 1} name`} value={row.key} onInput={(e) => set(i, "key", e.currentTarget.value)} />
          <input aria-label={`Tag ${i + 1} value`} value={row.value} onInput={(e) => set(i, "value", e.currentTarget.value)} />
          <button type="button" onClick={() => onRows(rows.filter((_, j) => j !== i))} aria-label={`Remove tag ${i + 1}`}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onRows([...rows, { key: "", value: "" }])}>
        Add tag
      </button>
    </fieldset>
  );
}
