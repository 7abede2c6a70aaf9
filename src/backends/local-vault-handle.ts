import { resolve } from "node:path";
import { LocalVault, type OpenVaultOptions } from "../store/local-vault.js";

export interface LocalVaultHandleOptions extends OpenVaultOptions {
  /**
   * The user named this file (`local:PATH`): only a write may create it, so a typo in a read
   * is an error naming the path instead of a new empty vault, folders and key.
   */
  createOnlyToWrite?: boolean;
}

/**
 * One local vault file, opened on first use by a read or a write (which may create it, see
 * options) and shared by every kind's backend of the target: one file handle, one vault key.
 */
export class LocalVaultHandle {
  readonly vaultUrl: string;
  readonly #options: LocalVaultHandleOptions;
  #opened: LocalVault | undefined;

  constructor(vault: LocalVault | LocalVaultHandleOptions) {
    if (vault instanceof LocalVault) {
      this.#opened = vault;
      this.#options = { path: vault.path };
    } else {
      this.#options = vault;
    }
    this.vaultUrl = `local://${resolve(this.#options.path)}`;
  }

  /** The store; `write` says whether this operation may create a missing file the user named. */
  vault(write = false): LocalVault {
    if (!this.#opened) {
      const { createOnlyToWrite, ...open } = this.#options;
      this.#opened = LocalVault.open({ ...open, create: write || !createOnlyToWrite });
    }
    return this.#opened;
  }

  close(): void {
    this.#opened?.close();
  }
}
