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

/** Limits of a {@link StaticCache}. */
export interface StaticCacheOptions {
  /** Largest file held in memory, in bytes; bigger files are streamed. Default 1048576 (1 MiB). */
  readonly maxFileBytes?: number;
  /** Most bytes held in all; past it, further files are streamed. Default 16777216 (16 MiB). */
  readonly maxTotalBytes?: number;
}

/** The defaults of {@link StaticCacheOptions}. */
export const STATIC_CACHE_DEFAULTS: Required<StaticCacheOptions> = Object.freeze({
  maxFileBytes: 1 << 20,
  maxTotalBytes: 16 << 20,
});

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

  constructor(root: string, options: StaticCacheOptions = {}) {
    this.#root = root;
    this.#maxFileBytes = options.maxFileBytes ?? STATIC_CACHE_DEFAULTS.maxFileBytes;
    this.#maxTotalBytes = options.maxTotalBytes ?? STATIC_CACHE_DEFAULTS.maxTotalBytes;
  }

  /** Bytes of file content held in memory. */
  get heldBytes(): number {
    return this.#heldBytes;
  }

  /**
   * The file at `file` (a path from `resolveStaticPath`), or `undefined` when there is no
   * regular file there inside the root. Never rejects.
   */
  lookup(file: string): Promise<StaticEntry | undefined> {
    const known = this.#entries.get(file);
    if (known !== undefined) return known;
    const pending = this.#load(file);
    this.#entries.set(file, pending);
    // Misses are forgotten, so the map holds at most one entry per file that exists.
    void pending.then((entry) => {
      if (entry === undefined) this.#entries.delete(file);
    });
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
    let body: Buffer | undefined;
    try {
      body = await readFile(found.file);
    } catch {
      body = undefined;
    }
    // Unreadable, or changed between stat and read (the etag would lie): a miss, tried again later.
    if (body === undefined || body.length !== found.size) {
      this.#heldBytes -= found.size;
      return undefined;
    }
    return { ...found, body };
  }
}
