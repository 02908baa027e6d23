/**
 * The browser client's files, held in memory (issue 5 item 1). The client is a handful of
 * small files that never change while the server runs (`dist/web` is built before start), so
 * each is read once and every request is answered from the same Buffer: no file descriptor
 * is opened per request, and a response waiting in a pipeline holds nothing but a reference.
 *
 * Before this, every GET opened a read stream; one connection pipelining 20,000 requests it
 * never read left 19,500 streams (and fds) open until restart.
 *
 * Bounded: only files up to `maxFileBytes` are kept, and no more than `maxTotalBytes` in all.
 * Anything bigger is described (not read) and the caller streams it. Only files that exist are
 * remembered; a missing path is looked up again each time, so probes cannot fill the cache.
 */
import { readFile } from "node:fs/promises";
import { openStaticFile, type StaticFile } from "./static-files.js";

/**
 * Limits of a {@link StaticCache}: the operator's `http.staticCacheFileBytes` and
 * `http.staticCacheTotalBytes` (defaults in config/default.yaml, written there once).
 */
export interface StaticCacheOptions {
  /** Largest file held in memory, in bytes; bigger files are streamed. */
  readonly maxFileBytes: number;
  /** Most bytes held in all; past it, further files are streamed. */
  readonly maxTotalBytes: number;
}

/** A file found under the root: its metadata, and its bytes when it is held in memory. */
export interface StaticEntry extends StaticFile {
  /** The whole file, or `undefined` when it is too big to hold and must be streamed. */
  readonly body: Buffer | undefined;
}

/** Files under one root, each looked up once and kept when small. */
export class StaticCache {
  readonly #root: string;
  readonly #maxFileBytes: number;
  readonly #maxTotalBytes: number;
  /** By resolved path. A pending lookup is shared, so a burst for one file reads it once. */
  readonly #entries = new Map<string, Promise<StaticEntry | undefined>>();
  #heldBytes = 0;

  constructor(root: string, options: StaticCacheOptions) {
    this.#root = root;
    this.#maxFileBytes = options.maxFileBytes;
    this.#maxTotalBytes = options.maxTotalBytes;
  }

  /** Bytes of file content held in memory. */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  /**
   * The file at `file` (a path from `resolveStaticPath`), or `undefined` when there is no
   * regular file there inside the root. Rejects when a file that is there cannot be read
   * (permissions, an I/O error): the caller answers 500 and logs why, and the next request
   * tries again.
   */
  lookup(file: string): Promise<StaticEntry | undefined> {
    const known = this.#entries.get(file);
    if (known !== undefined) return known;
    const pending = this.#load(file);
    this.#entries.set(file, pending);
    // Misses and failures are forgotten, so the map holds at most one entry per file that
    // exists, and an unreadable file is tried again. The failure itself reaches the caller.
    const forget = (): void => {
      this.#entries.delete(file);
    };
    pending.then((entry) => {
      if (entry === undefined) forget();
    }, forget);
    return pending;
  }

  async #load(file: string): Promise<StaticEntry | undefined> {
    const found = await openStaticFile(this.#root, file);
    if (found === undefined) return undefined;
    if (found.size > this.#maxFileBytes || this.#heldBytes + found.size > this.#maxTotalBytes) {
      return { ...found, body: undefined };
    }
    // Reserved before the read, so concurrent first requests for several files cannot all pass
    // the total check and overshoot it.
    this.#heldBytes += found.size;
    let body: Buffer;
    try {
      body = await readFile(found.file);
    } catch (err) {
      this.#heldBytes -= found.size;
      throw err;
    }
    // Changed between stat and read (the etag would lie): a miss, tried again later.
    if (body.length !== found.size) {
      this.#heldBytes -= found.size;
      return undefined;
    }
    return { ...found, body };
  }
}
