/** The in-memory static files (issue 5 item 1): read once, bounded, misses not remembered. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StaticCache } from "../../src/http/static-cache.js";
import { defaultConfig } from "../support/default-config.js";

/** The shipped limits (http.staticCacheFileBytes, http.staticCacheTotalBytes). */
const LIMITS = { maxFileBytes: defaultConfig.http.staticCacheFileBytes, maxTotalBytes: defaultConfig.http.staticCacheTotalBytes };

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "loom-cache-"));
  await writeFile(path.join(root, "small.js"), "a".repeat(100));
  await writeFile(path.join(root, "other.css"), "b".repeat(100));
  await writeFile(path.join(root, "big.map"), "c".repeat(5000));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("StaticCache", () => {
  it("reads a small file once and answers every later lookup with the same bytes", async () => {
    const cache = new StaticCache(root, LIMITS);
    const file = path.join(root, "small.js");
    const [first, second] = await Promise.all([cache.lookup(file), cache.lookup(file)]);
    expect(first?.body?.toString()).toBe("a".repeat(100));
    expect(second).toBe(first);
    // Changed on disk after the first read: still the cached copy (dist/web is fixed while running).
    await writeFile(file, "z".repeat(100));
    expect((await cache.lookup(file))?.body).toBe(first?.body);
    expect(cache.heldBytes).toBe(100);
  });

  it("describes a file over maxFileBytes without reading it, for the caller to stream", async () => {
    const cache = new StaticCache(root, { ...LIMITS, maxFileBytes: 1000 });
    const big = await cache.lookup(path.join(root, "big.map"));
    expect(big).toMatchObject({ size: 5000, body: undefined });
    expect(cache.heldBytes).toBe(0);
  });

  it("holds no more than maxTotalBytes in all", async () => {
    const cache = new StaticCache(root, { ...LIMITS, maxTotalBytes: 150 });
    expect((await cache.lookup(path.join(root, "small.js")))?.body).toBeDefined();
    expect((await cache.lookup(path.join(root, "other.css")))?.body).toBeUndefined();
    expect(cache.heldBytes).toBe(100);
  });

  it("does not remember a missing file, so probes cannot fill it, and finds it once it exists", async () => {
    const cache = new StaticCache(root, LIMITS);
    const later = path.join(root, "later.txt");
    expect(await cache.lookup(later)).toBeUndefined();
    await writeFile(later, "now");
    expect((await cache.lookup(later))?.body?.toString()).toBe("now");
  });
});
