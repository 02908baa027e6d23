/**
 * SQLite databases with a Loom schema version and a damaged page, for the refusals of
 * `loom backup` and `loom restore`: SQLite opens them and copies them page by page without
 * complaint, and only `PRAGMA integrity_check` finds what is wrong.
 */
import fs from "node:fs";
import Database from "better-sqlite3";

/** Page size of the databases {@link damage} writes (SQLite's default). */
const PAGE_SIZE = 4096;

/**
 * How a page is damaged: `"listed"` changes a row's bytes, so that the row disagrees with its
 * index and integrity_check lists the problem; `"unreadable"` breaks a page's header, and
 * integrity_check itself fails with SQLITE_CORRUPT (measured with better-sqlite3 12.11).
 */
export type Damage = "listed" | "unreadable";

/** Writes a database at `file` (schema version 1, a table and its index over a few dozen pages), then damages it. */
export function damage(file: string, how: Damage): void {
  const db = new Database(file);
  db.exec(`
    CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
    INSERT INTO schema_migrations VALUES (1, 'players and thing locations', 0);
    CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT NOT NULL);
  `);
  const insert = db.prepare<[string]>("INSERT INTO filler (text) VALUES (?)");
  db.transaction(() => {
    for (let i = 0; i < 300; i++) insert.run(`row ${i} `.padEnd(400, "."));
  })();
  db.exec("CREATE INDEX filler_by_text ON filler(text)");
  db.close();
  // Page 5 is one of filler's leaves: its header starts the page, its rows fill the rest.
  const fd = fs.openSync(file, "r+");
  try {
    fs.writeSync(fd, Buffer.alloc(64, 0xab), 0, 64, 4 * PAGE_SIZE + (how === "listed" ? 1000 : 0));
  } finally {
    fs.closeSync(fd);
  }
}
