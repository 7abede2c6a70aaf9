import { useCallback, useEffect, useState } from "preact/hooks";
import type { VaultApi } from "./api.js";
import { signOut, type ConsoleConfig } from "./auth.js";
import { Notice, type Note } from "./components/notice.js";
import { CreateSecret } from "./views/create.js";
import { DeletedSecrets } from "./views/deleted.js";
import { SecretDetail } from "./views/secret.js";
import { SecretList } from "./views/secrets.js";
import { VaultList } from "./views/vaults.js";

export type Notify = (note: Note | undefined) => void;

export interface ViewProps {
  api: VaultApi;
  notify: Notify;
  config: ConsoleConfig;
}

/** The view is the hash (`#/`, `#/deleted`, `#/secret/NAME`...): links work, Back works, no server routes. */
function useRoute(): string {
  const [route, setRoute] = useState(location.hash.slice(1) || "/");
  useEffect(() => {
    const onChange = () => setRoute(location.hash.slice(1) || "/");
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

const NAV = [
  ["/", "Secrets"],
  ["/new", "New secret"],
  ["/deleted", "Deleted"],
  ["/vaults", "Vaults"],
] as const;

export function App({ config, api }: { config: ConsoleConfig; api: VaultApi }) {
  const route = useRoute();
  const [note, setNote] = useState<Note | undefined>();
  const notify = useCallback<Notify>((n) => setNote(n), []);
  useEffect(() => setNote((n) => (n?.carry ? { ...n, carry: false } : undefined)), [route]);
  const props: ViewProps = { api, notify, config };
  const secret = /^\/secret\/(.+)$/.exec(route);
  const title = secret ? "Secret" : (NAV.find(([path]) => path === route)?.[1] ?? "Not found");
  useEffect(() => {
    document.title = `${title} · ${config.vault} · orbitra console`;
  }, [title, config.vault]);
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById("main")?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <span class="brand">
          orbitra <span class="vault-name">{config.vault}</span>
        </span>
        <nav aria-label="Views">
          {NAV.map(([path, label]) => (
            <a href={`#${path}`} aria-current={route === path ? "page" : undefined}>
              {label}
            </a>
          ))}
        </nav>
        {config.auth === "strict" ? (
          <button
            class="link"
            onClick={() => {
              signOut();
              location.reload();
            }}
          >
            Sign out
          </button>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        <Notice note={note} onClose={() => setNote(undefined)} />
        {secret ? (
          <SecretDetail {...props} name={decodeURIComponent(secret[1]!)} />
        ) : route === "/" ? (
          <SecretList {...props} />
        ) : route === "/new" ? (
          <CreateSecret {...props} />
        ) : route === "/deleted" ? (
          <DeletedSecrets {...props} />
        ) : route === "/vaults" ? (
          <VaultList {...props} />
        ) : (
          <p>
            No such view. <a href="#/">Back to the secrets</a>.
          </p>
        )}
      </main>
    </>
  );
}
