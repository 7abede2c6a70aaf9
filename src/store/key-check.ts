import { ConfigurationError } from "../core/errors.js";
import { open, seal } from "./cipher.js";
import type { MetaTable } from "./meta.js";

const MARKER = "key_check";

/**
 * A vault keeps a small value sealed with its key, so a wrong key is refused at open, in plain
 * words, before anything is read or written; without it, the first read would fail deep inside
 * a decryption. The first opener of a new vault records the marker.
 */
export function checkVaultKey(
  meta: MetaTable,
  key: Buffer,
  path: string,
  write: (fn: () => void) => void,
  marker = meta.value(MARKER),
): void {
  if (marker !== undefined) return verify(marker, key, path);
  write(() => {
    // Under the write lock: a racing opener may have recorded its key first; then it must match.
    const recorded = meta.value(MARKER);
    if (recorded !== undefined) verify(recorded, key, path);
    else meta.insert(MARKER, seal(key, Buffer.from("orbitra"), MARKER));
  });
}

export function readKeyMarker(meta: MetaTable): Uint8Array | undefined {
  return meta.value(MARKER);
}

function verify(marker: Uint8Array, key: Buffer, path: string): void {
  try {
    open(key, marker, MARKER);
  } catch {
    throw new ConfigurationError(
      `The vault key does not match the vault ${path}: it was made with another key. Use the key it was created with (the vault.key file beside it, or the ORBITRA_VAULT_KEY it was made with). Nothing was changed.`,
      { vault: path },
    );
  }
}
