/**
 * A backend opened on first use and shared by the calls after it. A failed open (bad settings, an
 * unreadable CA) is not kept: the next call tries again. `close` releases it; a later call reopens.
 */
export class LazyBackend<T extends { close(): Promise<void> }> {
  readonly #open: () => Promise<T>;
  #backend: Promise<T> | undefined;

  constructor(open: () => Promise<T>) {
    this.#open = open;
  }

  ready(): Promise<T> {
    if (!this.#backend) {
      const opening = this.#open();
      opening.catch(() => {
        if (this.#backend === opening) this.#backend = undefined;
      });
      this.#backend = opening;
    }
    return this.#backend;
  }

  async close(): Promise<void> {
    const backend = this.#backend;
    this.#backend = undefined;
    if (backend) await (await backend).close();
  }
}

/** Every item of a backend's listing, in one array. */
export async function collectAll<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
