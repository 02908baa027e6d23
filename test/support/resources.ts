/**
 * What the test process holds, for tests about leaks (issue 5 items 1 and 2). The server under
 * test runs in-process, so its sockets and files are this process's descriptors.
 */
import fs from "node:fs";

/** Open file descriptors of this process (Linux: the entries of /proc/self/fd). */
export function openFds(): number {
  return fs.readdirSync("/proc/self/fd").length;
}

/** Resident set size of this process, in bytes. */
export function rssBytes(): number {
  return process.memoryUsage().rss;
}

/** Bytes in a MiB, for readable bounds. */
export const MiB = 1 << 20;
