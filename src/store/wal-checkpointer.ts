/**
 * Checkpoints a WAL database from a worker thread (issue 11, target 5), so that copying the
 * log's frames into the database file, and the two fsyncs that go with it, happen off the
 * event loop. The worker has its own better-sqlite3 connection to the file and runs
 * `PRAGMA wal_checkpoint(PASSIVE)` every {@link WAL_CHECKPOINT_INTERVAL_MS}: a passive
 * checkpoint takes no lock that a writer or a reader waits for, so commits on the main
 * connection go on meanwhile, as synchronous and as durable as before (hardening D1).
 *
 * A passive checkpoint alone never lets the WAL shrink under a steady writer: SQLite rewinds
 * the log only when a write begins while every frame is already copied, and the worker's copy
 * is always a little behind the latest commit. The main connection's own autocheckpoint
 * (WAL_AUTOCHECKPOINT_PAGES in sqlite-store.ts) does that part: when the log reaches its size,
 * the committing thread copies the few frames the worker has not, and its next write rewinds
 * the log. Without the worker (failed, stopped) that setting bounds the WAL on its own.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * How often the worker checkpoints, in ms. Every frame it has not copied when the main
 * connection's autocheckpoint fires is copied on the loop instead, so the interval bounds
 * that remainder: at 1,500 walks a second (mixed play, 10,000 players) 100 ms leaves a few
 * hundred frames. Idle, ten ticks a second cost 14 ms of CPU in 5 s, on the worker's thread.
 */
export const WAL_CHECKPOINT_INTERVAL_MS = 100;

/**
 * How long {@link WalCheckpointer.stop} waits for the worker to close its connection, in ms.
 * It waits for a checkpoint in progress, whose fsync took up to 127 ms in a profile of mixed
 * play; past this the worker is abandoned (terminated) and the WAL is left for the next open.
 */
export const WAL_CHECKPOINTER_STOP_WAIT_MS = 1000;

/**
 * The worker's V8 heap limits, in MiB. It allocates almost nothing (a timer and one result row
 * a tick; about 5 MiB of heap after start), and its memory counts against the server's per
 * connection figures in the benches (the worker adds about 9 MiB of RSS in all). 4 MiB of old
 * space is too little for Node to start.
 */
const WORKER_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1 } as const;

/**
 * The handshake between {@link WalCheckpointer.stop} and the worker, one Int32 in shared
 * memory: whoever moves it out of `starting` first decides whether the worker ever opens the
 * file, so a store closed at once never waits for a worker still booting.
 */
const State = { starting: 0, open: 1, stopping: 2, closed: 3 } as const;

/** What one checkpoint did: the columns of `PRAGMA wal_checkpoint`. */
export interface CheckpointResult {
  /** 1 when another connection's checkpoint held the lock and this one did nothing. */
  readonly busy: number;
  /** Frames in the WAL. */
  readonly log: number;
  /** Frames in the WAL that are now copied into the database file. */
  readonly checkpointed: number;
}

/** Options for {@link WalCheckpointer}. */
export interface WalCheckpointerOptions {
  /** The database file; it must exist and be in WAL mode (the main connection made it so). */
  readonly file: string;
  /** Time between checkpoints, in ms. Default {@link WAL_CHECKPOINT_INTERVAL_MS}. */
  readonly intervalMs?: number;
  /**
   * Called at most once, when the worker fails to start or to checkpoint, or exits unasked.
   * The worker is gone after it; the main connection's autocheckpoint carries on. Default: none.
   */
  readonly onError?: (error: Error) => void;
  /** Called after each checkpoint, for tests. When absent the worker posts nothing. */
  readonly onCheckpoint?: (result: CheckpointResult) => void;
  /** The module the worker loads as better-sqlite3. Default: the one this module resolves. */
  readonly sqlitePath?: string;
}

/**
 * The worker, kept small: plain JavaScript passed as a string (`eval: true`), so that it runs
 * the same under vitest (TypeScript sources) and from dist/. It opens the file only if the
 * main thread has not already stopped it, never waits for a lock (busy timeout 0: the next
 * tick will do), and reports a failure by throwing, which the main thread sees as `error`.
 * `synchronous = NORMAL`: a checkpoint then fsyncs the database before it marks frames as
 * copied, so the main connection never rewinds over frames that are not yet on disk.
 */
const WORKER_SOURCE = `"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { file, intervalMs, sqlitePath, report } = workerData;
const state = new Int32Array(workerData.state);
if (Atomics.compareExchange(state, 0, ${State.starting}, ${State.open}) === ${State.starting}) {
  let db;
  let timer;
  const stop = () => {
    clearInterval(timer);
    parentPort.close();
    try {
      if (db !== undefined) db.close();
    } finally {
      Atomics.store(state, 0, ${State.closed});
      Atomics.notify(state, 0);
    }
  };
  try {
    const Database = require(sqlitePath);
    db = new Database(file, { fileMustExist: true, timeout: 0 });
    db.pragma("synchronous = NORMAL");
  } catch (error) {
    stop();
    throw error;
  }
  parentPort.on("message", stop);
  timer = setInterval(() => {
    let row;
    try {
      row = db.pragma("wal_checkpoint(PASSIVE)")[0];
    } catch (error) {
      if (/^SQLITE_(BUSY|LOCKED)/.test(String(error.code))) return;
      stop();
      throw error;
    }
    if (report) parentPort.postMessage(row);
  }, intervalMs);
}
`;

/**
 * A worker thread checkpointing one WAL database. It starts in the constructor and never keeps
 * the process alive (`unref`). {@link stop} must be called before the main connection closes,
 * so that the main connection is the last one and its close checkpoints and removes the WAL.
 */
export class WalCheckpointer {
  /** Resolves with the worker's exit code once its thread has ended, whatever the reason. */
  readonly exited: Promise<number>;
  readonly #worker: Worker;
  readonly #state: Int32Array;
  readonly #onError: ((error: Error) => void) | undefined;
  #running = true;

  constructor(options: WalCheckpointerOptions) {
    this.#onError = options.onError;
    this.#state = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const onCheckpoint = options.onCheckpoint;
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        file: options.file,
        intervalMs: options.intervalMs ?? WAL_CHECKPOINT_INTERVAL_MS,
        sqlitePath: options.sqlitePath ?? betterSqlitePath(),
        report: onCheckpoint !== undefined,
        state: this.#state.buffer,
      },
      resourceLimits: WORKER_RESOURCE_LIMITS,
    });
    const worker = this.#worker;
    this.exited = new Promise((resolve) => worker.once("exit", resolve));
    if (onCheckpoint !== undefined) this.#worker.on("message", (result: CheckpointResult) => onCheckpoint(result));
    this.#worker.on("error", (error) => this.#fail(error));
    this.#worker.on("exit", (code) => this.#fail(new Error(`the WAL checkpointer's worker exited with code ${code}`)));
    this.#worker.unref();
  }

  /** True from the start until {@link stop} or a failure; the worker may still be booting. */
  get running(): boolean {
    return this.#running;
  }

  /**
   * Stops the worker. When it returns, the worker's connection is closed, or it never opened
   * one, or the worker was abandoned after {@link WAL_CHECKPOINTER_STOP_WAIT_MS}: the main
   * thread blocks meanwhile (Atomics.wait), since its own close must come after. Idempotent.
   */
  stop(): void {
    this.#running = false;
    // A worker that has not opened the file yet never will; one that has is asked to close it.
    if (Atomics.compareExchange(this.#state, 0, State.starting, State.closed) === State.open) {
      Atomics.compareExchange(this.#state, 0, State.open, State.stopping);
      this.#worker.postMessage("stop");
      // Returns at once if the worker already closed (state is no longer `stopping`).
      Atomics.wait(this.#state, 0, State.stopping, WAL_CHECKPOINTER_STOP_WAIT_MS);
    }
    // Ends a worker that is booting or stuck; its exit is expected now, so not reported.
    void this.#worker.terminate();
  }

  #fail(error: Error): void {
    if (!this.#running) return;
    this.#running = false;
    this.#onError?.(error);
  }
}

/**
 * better-sqlite3's entry point, as an absolute path the worker can `require`: its eval'd code
 * has no module of its own to resolve from. In a bundle (test/store/kill-nine.test.ts bundles
 * the store into a temporary directory) nothing resolves from here: the bare name is passed,
 * the worker's `require` tries from the working directory, and a failure there is reported.
 */
function betterSqlitePath(): string {
  try {
    return createRequire(import.meta.url).resolve("better-sqlite3");
  } catch {
    return "better-sqlite3";
  }
}
