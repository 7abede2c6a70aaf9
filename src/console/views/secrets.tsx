import { useMemo, useState } from "preact/hooks";
import type { ViewProps } from "../app.js";
import { formatDate, parseId, type SecretItem } from "../api.js";
import { useLoad } from "../components/use-load.js";
import { StatusBadge } from "../components/status-badge.js";

export const PAGE_SIZE = 25;
type SortKey = "name" | "updated" | "exp";

/** The secrets of this vault: all pages fetched, then searched, sorted and paged here. */
export function SecretList({ api, notify }: ViewProps) {
  const { data } = useLoad(api.listSecrets, notify, []);
  const [query, setQuery] = useState("");
  const [sort, setSort] = useState<SortKey>("name");
  const [page, setPage] = useState(0);
  const rows = useMemo(() => {
    const needle = query.trim().toLowerCase();
    const named = (data ?? []).map((item) => ({ item, name: parseId(item.id).name }));
    const hits = needle ? named.filter(({ name, item }) => name.toLowerCase().includes(needle) || Object.entries(item.tags ?? {}).some(([k, v]) => `${k}=${v}`.toLowerCase().includes(needle))) : named;
    const key = (r: { item: SecretItem; name: string }) => (sort === "name" ? r.name.toLowerCase() : (r.item.attributes[sort] ?? Infinity));
    const byName = (a: { name: string }, b: { name: string }) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1);
    // Ties (same second, no expiry) fall back to the name, so the order never shuffles between loads.
    return hits.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (sort === "updated" ? -1 : 1) || byName(a, b));
  }, [data, query, sort]);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const shown = rows.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  return (
    <section>
      <h1>Secrets</h1>
      <div class="toolbar">
        <label>
          Search
          <input type="search" value={query} placeholder="name or tag" onInput={(e) => (setQuery(e.currentTarget.value), setPage(0))} />
        </label>
        <label>
          Sort by
          <select value={sort} onChange={(e) => setSort(e.currentTarget.value as SortKey)}>
            <option value="name">name</option>
            <option value="updated">last updated</option>
            <option value="exp">expiry</option>
          </select>
        </label>
        <a class="button" href="#/new">
          New secret
        </a>
      </div>
      {data === undefined ? (
        <p aria-busy="true">Loading…</p>
      ) : rows.length === 0 ? (
        <p>{query ? "No secret matches." : "This vault has no secrets yet."}</p>
      ) : (
        <>
          <table class="list">
            <caption class="visually-hidden">Secrets, page {page + 1} of {pages}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Expires</th>
                <th scope="col">Updated</th>
                <th scope="col">Tags</th>
              </tr>
            </thead>
            <tbody>
              {shown.map(({ item, name }) => (
                <tr key={name}>
                  <td data-label="Name">
                    <a href={`#/secret/${encodeURIComponent(name)}`}>{name}</a>
                  </td>
                  <td data-label="Status">
                    <StatusBadge attributes={item.attributes} />
                  </td>
                  <td data-label="Expires">{formatDate(item.attributes.exp)}</td>
                  <td data-label="Updated">{formatDate(item.attributes.updated)}</td>
                  <td data-label="Tags">
                    {Object.entries(item.tags ?? {}).map(([k, v]) => (
                      <span class="tag">
                        {k}={v}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav class="pager" aria-label="Pages">
            <button disabled={page === 0} onClick={() => setPage(page - 1)}>
              Previous
            </button>
            <span aria-live="polite">
              Page {page + 1} of {pages} ({rows.length} secrets)
            </span>
            <button disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
              Next
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
