/**
 * Work over many connections, a slice at a time (issue 11): a loop that writes to every
 * connection at once (a keepalive tick over thousands of sockets) holds the event loop for as
 * long as the writes take, and every command that arrives meanwhile waits. Cut into slices with
 * the loop let go round between them, a command waits one slice at most.
 */

/** Calls `fn` on each of `items` in order, `size` now and the next `size` after each turn of the loop. */
export function forEachInSlices<T>(items: readonly T[], size: number, fn: (item: T) => void): void {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`forEachInSlices: size must be a positive integer, got ${size}`);
  let next = 0;
  const slice = (): void => {
    const end = Math.min(items.length, next + size);
    for (; next < end; next++) fn(items[next]!);
    if (next < items.length) setImmediate(slice);
  };
  slice();
}
