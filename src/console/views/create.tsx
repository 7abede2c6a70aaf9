import { useState } from "preact/hooks";
import type { ViewProps } from "../app.js";
import { parseId } from "../api.js";
import { useAction } from "../components/use-load.js";
import { DateField, fromInput, TagsEditor, TextField, ValueInput, type TagRows, tagsOf } from "../components/fields.js";
import { RestoreBackup } from "./restore.js";

/** A new secret (or a new version of one, when the name exists), from text or a file; and a restore. */
export function CreateSecret(props: ViewProps) {
  const { api, notify } = props;
  const run = useAction(notify);
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const [contentType, setContentType] = useState("");
  const [exp, setExp] = useState("");
  const [tags, setTags] = useState<TagRows>([]);
  const submit = async (e: Event) => {
    e.preventDefault();
    const expires = fromInput(exp);
    await run(
      () => api.setSecret(name, value, { tags: tagsOf(tags), ...(contentType ? { contentType } : {}), attributes: { ...(expires ? { exp: expires } : {}) } }),
      `Saved secret '${name}'.`,
      () => (location.hash = `#/secret/${encodeURIComponent(name)}`),
      true,
    );
    // The value leaves the page as soon as the server has it.
    setValue("");
  };
  return (
    <section>
      <h1>New secret</h1>
      <form class="form" onSubmit={submit}>
        <TextField label="Name (letters, digits, dashes)" value={name} onValue={setName} pattern="[0-9A-Za-z-]{1,127}" required />
        <ValueInput value={value} onValue={setValue} />
        <TextField label="Content type" value={contentType} onValue={setContentType} />
        <DateField label="Expires" value={exp} onValue={setExp} />
        <TagsEditor rows={tags} onRows={setTags} />
        <button class="primary" type="submit">
          Create
        </button>
      </form>
      <RestoreBackup {...props} onRestored={(item) => (location.hash = `#/secret/${encodeURIComponent(parseId(item.id).name)}`)} />
    </section>
  );
}
