import type { ViewProps } from "../app.js";
import { formatDate, parseId } from "../api.js";
import { useAction, useLoad } from "../components/use-load.js";

/** Soft-deleted secrets: recover brings every version back; purge removes them for good. */
export function DeletedSecrets({ api, notify }: ViewProps) {
  const { data, reload } = useLoad(api.listDeleted, notify, []);
  const run = useAction(notify);
  return (
    <section>
      <h1>Deleted secrets</h1>
      {data === undefined ? (
        <p aria-busy="true">Loading…</p>
      ) : data.length === 0 ? (
        <p>No deleted secrets.</p>
      ) : (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Deleted</th>
              <th scope="col">Purged on</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {data.map((item) => {
              const { name } = parseId(item.id);
              return (
                <tr key={name}>
                  <td data-label="Name">{name}</td>
                  <td data-label="Deleted">{formatDate(item.deletedDate)}</td>
                  <td data-label="Purged on">{formatDate(item.scheduledPurgeDate)}</td>
                  <td data-label="Actions" class="actions">
                    <button onClick={() => void run(() => api.recover(name), `Recovered '${name}'.`, reload)} aria-label={`Recover ${name}`}>
                      Recover
                    </button>
                    <button
                      class="danger"
                      aria-label={`Purge ${name}`}
                      onClick={() => {
                        if (confirm(`Purge '${name}'? This cannot be undone.`)) void run(() => api.purge(name), `Purged '${name}'.`, reload);
                      }}
                    >
                      Purge
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
