import type { ViewProps } from "../app.js";
import type { SecretItem } from "../api.js";
import { useAction } from "../components/use-load.js";
import { useId } from "../components/fields.js";

/** Restore from a file that "Download backup" saved: Key Vault's opaque blob, as text. */
export function RestoreBackup({ api, notify, onRestored }: ViewProps & { onRestored: (item: SecretItem) => void }) {
  const run = useAction(notify);
  const id = useId("restore");
  return (
    <section class="restore">
      <h2>Restore a backup</h2>
      <label for={id}>Backup file</label>
      <input
        id={id}
        type="file"
        onChange={async (e) => {
          const input = e.currentTarget;
          const file = input.files?.[0];
          if (!file) return;
          const blob = (await file.text()).trim();
          let restored: SecretItem | undefined;
          await run(async () => (restored = await api.restore(blob)), `Restored the backup in '${file.name}'.`, () => restored && onRestored(restored), true);
          input.value = "";
        }}
      />
    </section>
  );
}
