import type { ViewProps } from "../app.js";
import { currentToken } from "../auth.js";

/** Each vault has its own port (ids allow one vault per host:port), so each has its own console. */
export function VaultList({ config }: ViewProps) {
  const token = config.auth === "open" ? currentToken() : undefined;
  return (
    <section>
      <h1>Vaults</h1>
      <p>The vaults this server serves. Each opens its own console, on its own port.</p>
      <ul class="cards">
        {config.vaults.map((v) => (
          <li class="card">
            <a href={`${v.url}/_console/${token ? `#token=${encodeURIComponent(token)}` : ""}`}>{v.name}</a>
            {v.name === config.vault ? <span class="badge">this console</span> : null}
            <div class="muted">{v.url}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}
