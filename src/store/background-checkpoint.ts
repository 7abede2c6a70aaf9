import { statSync } from "node:fs";
import { createRequire } from "node:module";
import type { Worker } from "node:worker_threads";
import type { DatabaseSync } from "./sqlite.js";

// Loaded when a thread is first started, like node:sqlite (sqlite.ts): a CLI run never needs it.
const require = createRequire(import.meta.url);

/**
 * Commits between two checkpoint requests. A new version writes 3-4 WAL frames, so this is about
 * SQLite's own default of one checkpoint per 1000 pages.
 */
export const CHECKPOINT_EVERY_COMMITS = 256;
/**
 * The writer's own automatic checkpoint, kept as a safety net (the worker fell behind, or died):
 * 8x SQLite's default. While writes keep coming the worker's checkpoint never catches the WAL's
 * very end (the writer appends while it copies and syncs), so the WAL restarts from its start only
 * when this one runs on the writer's thread: it finds most frames copied back, but its two fsyncs
 * remain, a 40-70 ms wait once per ~2,600 new versions on the dev box (SQLite's default: 10-30 ms
 * once per ~300). That bounds the WAL: 20,000 back-to-back new versions at 1M secrets left it at
 * 33-35 MB (one run 90 MB; 4 MB with SQLite's default). A net of 2,000 pages kept it at 13 MB,
 * but then the writer ran most of the fsyncs again and its wall-time gain was gone; a worker that
 * checkpoints again until it catches the end did not get there at 700 writes/s either.
 */
export const SAFETY_NET_PAGES = 8000;
/** How long close() waits for the worker to finish a checkpoint under way and close its connection. */
const JOIN_TIMEOUT_MS = 10_000;

const IDLE = 0;
const BUSY = 1;
const CLOSED = 2;

// CommonJS, evaluated (eval: true): one string, so the server's bundle and tsx need no second
// entry file. node:sqlite warns that it is experimental on Node 22; this thread runs nothing else,
// so its warnings are dropped rather than printed on the host's stderr.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
process.emitWarning = () => {};
const state = new Int32Array(workerData.state);
const set = (value) => { Atomics.store(state, 0, value); Atomics.notify(state, 0); };
// However this thread ends, a close() waiting for it must not wait out its timeout.
process.on("exit", () => set(${CLOSED}));
let db;
try {
  // Only the writer's own file, and never a new one: a vault moved away (or replaced) while open
  // must not get an empty file at its old path; and SQLite, opening an empty database that has a
  // -wal beside it, deletes that WAL, which is the writer's (found by name), with the commits the
  // writer has not checkpointed yet.
  const { dev, ino } = require("node:fs").statSync(workerData.path, { bigint: true });
  if (dev + ":" + ino !== workerData.identity) throw new Error("not the writer's file");
  const url = require("node:url").pathToFileURL(workerData.path);
  url.searchParams.set("mode", "rw");
  db = new (require("node:sqlite").DatabaseSync)(url);
  db.exec("PRAGMA busy_timeout = 0");
} catch {
  db = undefined;
}
if (!db) {
  set(${CLOSED});
} else {
  parentPort.on("message", (message) => {
    if (message === "checkpoint") {
      // PASSIVE never waits for readers or the writer: it copies what it can and returns.
      try { db.exec("PRAGMA wal_checkpoint(PASSIVE)"); } catch {}
      set(${IDLE});
      return;
    }
    try { db.close(); } catch {}
    set(${CLOSED});
    parentPort.close();
  });
}
`;

/**
 * Checkpoints a long-lived handle's WAL on a worker thread with its own connection, so that the
 * writer's commits no longer pay for copying pages back into the file and for the fsyncs around
 * it. At a million secrets a new version dirties two leaves at random places and every checkpoint
 * writes each of them back; on the writer's thread that, with the fsyncs, was most of a write's
 * wall time, and in the server it stalled every request behind it. The work moves to another
 * core; it does not go away (bench/README.md, "The store at scale").
 *
 * The thread starts with the handle's CHECKPOINT_EVERY_COMMITS-th commit, not at open: a CLI run
 * (a commit or two) never starts one and keeps SQLite's own checkpoints; a server, an application
 * or a bulk import that keeps writing gets it.
 */
export class BackgroundCheckpointer {
  readonly #db: DatabaseSync;
  readonly #path: string;
  readonly #state = new Int32Array(new SharedArrayBuffer(4));
  #worker: Worker | undefined;
  #commits = 0;
  /** Started and not failed; false again once closed. */
  #alive = false;
  #failed = false;

  /** The writer's file as device and inode, taken at open: the thread checks it opens the same one. */
  readonly #identity: string | undefined;

  constructor(db: DatabaseSync, path: string) {
    this.#db = db;
    this.#path = path;
    this.#identity = fileIdentity(path);
    if (this.#identity === undefined) this.#failed = true;
  }

  /**
   * After each commit of this handle's writer: every CHECKPOINT_EVERY_COMMITS, ask for one unless
   * one is under way. Never throws: the commit is done, and a thread that cannot start or run
   * leaves the checkpoints to SQLite on the writer's thread, as before.
   */
  afterCommit(): void {
    if (++this.#commits < CHECKPOINT_EVERY_COMMITS) return;
    this.#commits = 0;
    try {
      if (!this.#worker && !this.#failed) this.#start();
      // CLOSED before we asked: the thread could not open the file, or ended.
      if (this.#failed || Atomics.load(this.#state, 0) === CLOSED) return this.#fallBack();
      if (this.#alive && Atomics.compareExchange(this.#state, 0, IDLE, BUSY) === IDLE) this.#worker!.postMessage("checkpoint");
    } catch {
      this.#failed = true;
    }
  }

  #start(): void {
    // execArgv []: the host's preloads (--import ..., a test runner's hooks) have no business in this thread.
    const { Worker } = require("node:worker_threads") as typeof import("node:worker_threads");
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { path: this.#path, identity: this.#identity, state: this.#state.buffer } });
    // A worker that failed leaves checkpoints to the writer again; it must not take the host down.
    this.#worker.on("error", () => {
      this.#failed = true;
    });
    this.#worker.unref();
    this.#alive = true;
    this.#db.exec(`PRAGMA wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  }

  /** SQLite's own default again, on the writer's thread (once: #alive stays false after). */
  #fallBack(): void {
    if (!this.#alive) return;
    this.#alive = false;
    this.#db.exec("PRAGMA wal_autocheckpoint = 1000");
  }

  /**
   * Waits (blocking, as LocalVault.close is synchronous) until the worker has finished a checkpoint
   * under way and closed its connection: once close() returns, no connection of this handle is
   * left on the file, which the caller may then move, delete or hand to another process.
   */
  close(): void {
    const worker = this.#worker;
    if (!worker) return;
    const alive = this.#alive && !this.#failed;
    this.#alive = false;
    if (!alive) return void worker.terminate();
    worker.postMessage("close");
    const deadline = performance.now() + JOIN_TIMEOUT_MS;
    for (let state = Atomics.load(this.#state, 0); state !== CLOSED; state = Atomics.load(this.#state, 0)) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      Atomics.wait(this.#state, 0, state, left);
    }
    void worker.terminate();
  }
}

function fileIdentity(path: string): string | undefined {
  try {
    const { dev, ino } = statSync(path, { bigint: true });
    return `${dev}:${ino}`;
  } catch {
    return undefined;
  }
}
