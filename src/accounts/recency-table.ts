/**
 * The two pieces every per-key table of the accounts layer shares (hardening F10): keys cut to
 * a bounded length, and a Map kept in recency order with a cap, the stalest key forgotten
 * first. The login throttles, the per-account backoff and the owners' known addresses are all
 * such tables; an attacker choosing keys can make them neither long nor many.
 */

/**
 * Keys longer than this are cut to it. Addresses and names are far shorter; the cut bounds the
 * memory an attacker can make one entry cost, and merging two absurd keys only throttles harder.
 */
export const MAX_KEY_LENGTH = 128;

/**
 * Keys one table holds by default: a bound on memory that an attacker choosing keys cannot
 * pass (hardening F10; with keys of at most 128 characters, a few MiB at worst), not a setting.
 */
export const MAX_TABLE_ENTRIES = 10_000;

/** `key`, cut to {@link MAX_KEY_LENGTH}. */
export function trimKey(key: string): string {
  return key.length > MAX_KEY_LENGTH ? key.slice(0, MAX_KEY_LENGTH) : key;
}

/**
 * Sets `key` to `value` as the most recent entry of `map` (a Map's insertion order is its
 * recency order), then forgets the stalest entries past `max`. Only a new key can grow the
 * map, so the loop runs at most once per call.
 */
export function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) {
    const stalest = map.keys().next();
    if (stalest.done === true) return;
    map.delete(stalest.value);
  }
}
