import { useEffect, useState } from "preact/hooks";
import type { ViewProps } from "../app.js";
import { formatDate, parseId, type SecretItem } from "../api.js";
import { useAction, useLoad } from "../components/use-load.js";
import { RevealCopy } from "../components/reveal.js";
import { StatusBadge } from "../components/status-badge.js";
import { DateField, fromInput, tagRows, TagsEditor, tagsOf, TextField, toInput, ValueInput, type TagRows } from "../components/fields.js";

/** One secret: its versions (newest first), the latest's properties and tags, and what can be done to it. */
export function SecretDetail({ api, notify, name }: ViewProps & { name: string }) {
  const { data, reload } = useLoad(() => api.listVersions(name), notify, [name]);
  const run = useAction(notify);
  // Newest first. Versions made in the same second tie on `created`; the list comes oldest first, so a later place wins.
  const versions = (data ?? [])
    .map((item, place) => ({ item, place }))
    .sort((a, b) => (b.item.attributes.created ?? 0) - (a.item.attributes.created ?? 0) || b.place - a.place)
    .map(({ item }) => item);
  const latest = versions[0];
  const download = async () => {
    const blob = await api.backup(name);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([blob], { type: "application/octet-stream" }));
    link.download = `${name}.keyvault-backup`;
    document.body.append(link);
    link.click();
    link.remove();
    // Revoked once the browser has taken the file, not before it starts.
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  };
  return (
    <section>
      <p>
        <a href="#/">← All secrets</a>
      </p>
      <h1>{name}</h1>
      <div class="toolbar">
        <button onClick={() => void run(download, `Downloaded the backup of '${name}'.`)}>Download backup</button>
        <button
          class="danger"
          onClick={() => {
            if (confirm(`Delete '${name}' with all its versions? It stays recoverable in Deleted.`)) {
              void run(() => api.remove(name), `Deleted '${name}'.`, () => (location.hash = "#/deleted"), true);
            }
          }}
        >
          Delete
        </button>
      </div>
      {data === undefined ? (
        <p aria-busy="true">Loading…</p>
      ) : latest ? (
        <>
          <Properties key={latest.id} item={latest} onSave={(p) => run(() => api.update(name, parseId(latest.id).version, p), "Saved the properties.", reload)} />
          <h2>Versions</h2>
          <table class="list versions">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Value</th>
                <th scope="col">Enabled</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => {
                const version = parseId(v.id).version;
                const enabled = v.attributes.enabled !== false;
                return (
                  <tr key={version}>
                    <td data-label="Version">
                      <code title={version}>{version.slice(0, 8)}</code>
                      {v === latest ? <span class="badge">latest</span> : null}
                    </td>
                    <td data-label="Status">
                      <StatusBadge attributes={v.attributes} />
                    </td>
                    <td data-label="Created">{formatDate(v.attributes.created)}</td>
                    <td data-label="Value">
                      <RevealCopy api={api} name={name} version={version} notify={notify} />
                    </td>
                    <td data-label="Enabled">
                      <button onClick={() => void run(() => api.update(name, version, { attributes: { enabled: !enabled } }), `${enabled ? "Disabled" : "Enabled"} version ${version.slice(0, 8)}.`, reload)}>
                        {enabled ? "Disable" : "Enable"}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <NewVersion onSave={(value) => run(() => api.setSecret(name, value, { ...(latest.contentType ? { contentType: latest.contentType } : {}), tags: latest.tags ?? {} }), "Added a new version.", reload)} />
        </>
      ) : (
        <p>This secret has no versions.</p>
      )}
    </section>
  );
}

function Properties({ item, onSave }: { item: SecretItem; onSave: (p: { contentType: string; tags: Record<string, string>; attributes: { exp?: number; nbf?: number } }) => Promise<boolean> }) {
  const [contentType, setContentType] = useState(item.contentType ?? "");
  const [exp, setExp] = useState(toInput(item.attributes.exp));
  const [nbf, setNbf] = useState(toInput(item.attributes.nbf));
  const [tags, setTags] = useState<TagRows>(tagRows(item.tags));
  useEffect(() => setTags(tagRows(item.tags)), [item]);
  const attributes = { ...(fromInput(exp) ? { exp: fromInput(exp)! } : {}), ...(fromInput(nbf) ? { nbf: fromInput(nbf)! } : {}) };
  return (
    <form
      class="form"
      aria-label="Properties of the latest version"
      onSubmit={(e) => {
        e.preventDefault();
        void onSave({ contentType, tags: tagsOf(tags), attributes });
      }}
    >
      <h2>Properties</h2>
      <TextField label="Content type" value={contentType} onValue={setContentType} />
      <DateField label="Not before" value={nbf} onValue={setNbf} />
      <DateField label="Expires" value={exp} onValue={setExp} />
      <TagsEditor rows={tags} onRows={setTags} />
      <button class="primary" type="submit">
        Save properties
      </button>
    </form>
  );
}

function NewVersion({ onSave }: { onSave: (value: string) => Promise<boolean> }) {
  const [value, setValue] = useState("");
  return (
    <form
      class="form"
      aria-label="New version"
      onSubmit={(e) => {
        e.preventDefault();
        const v = value;
        setValue("");
        void onSave(v);
      }}
    >
      <h2>New version</h2>
      <ValueInput value={value} onValue={setValue} />
      <button class="primary" type="submit">
        Add version
      </button>
    </form>
  );
}
