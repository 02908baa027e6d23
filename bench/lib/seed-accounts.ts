/**
 * Bench-only cheap accounts (issue 11, target 6): before Loom starts, every bench client's
 * character is written straight into the server's SQLite data directory, with one argon2id
 * hash made once at a deliberately cheap cost and shared by all of them. A PHC string carries
 * its own parameters and Loom never rehashes on login (src/accounts/passwords.ts), so each
 * `connect` verifies at this cost instead of the production one (m=19 MiB, t=2): 2,000 logins
 * take seconds instead of a minute and a half, and argon2's 19 MiB arenas are no longer
 * counted as connection memory. Production hashing is untouched; the report labels the run.
 */
import argon2 from "argon2";
import { displayName } from "../../src/accounts/names.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { BENCH_PASSWORD, clientName } from "./load.js";

/** The cheap cost: 1 MiB, one pass, one lane. Never a production setting. */
export const BENCH_HASH_PARAMETERS = Object.freeze({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

/** How the seeded hashes are described in the report. */
export const BENCH_HASH_LABEL = `seeded accounts, argon2id m=${BENCH_HASH_PARAMETERS.memoryCost} KiB t=${BENCH_HASH_PARAMETERS.timeCost} p=${BENCH_HASH_PARAMETERS.parallelism} (bench only)`;

/**
 * Creates the characters of clients 0..clients-1 in `dataDir` (Loom's store, migrated by
 * opening it), in `rooms[i % rooms.length]` (or the start room, `undefined` → Loom's start).
 * The clients in `admins` get the `admin` role (the capacity scenario's announcer).
 */
export async function seedAccounts(dataDir: string, clients: number, rooms: readonly string[], admins: readonly number[] = []): Promise<void> {
  const passwordHash = await argon2.hash(BENCH_PASSWORD, { type: argon2.argon2id, ...BENCH_HASH_PARAMETERS });
  const store = openSqliteStore({ dataDir });
  try {
    const now = Date.now();
    for (let i = 0; i < clients; i++) {
      const key = clientName(i);
      const role = admins.includes(i) ? "admin" : "player";
      store.createPlayer({ key, name: displayName(key), passwordHash, room: rooms[i % rooms.length] ?? "square", role, now });
    }
  } finally {
    store.close();
  }
}
