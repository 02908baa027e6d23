/**
 * Store.countAdmins (issue 7): how many accounts hold the role admin, so that `role` can
 * refuse to demote the last one. Counts accounts, online or not, and follows setRole.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { openMemoryStore, type SqliteStore } from "../../src/store/sqlite-store.js";

const HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

let store: SqliteStore;
beforeEach(() => {
  store = openMemoryStore();
});
afterEach(() => store.close());

it("is 0 in an empty store and among players and builders", () => {
  expect(store.countAdmins()).toBe(0);
  store.createPlayer({ key: "alice", name: "Alice", passwordHash: HASH, room: "hall", now: 1 });
  store.createPlayer({ key: "bob", name: "Bob", passwordHash: HASH, room: "hall", role: "builder", now: 1 });
  expect(store.countAdmins()).toBe(0);
});

it("counts admins made at creation and by setRole, and follows a demotion", () => {
  store.createPlayer({ key: "alice", name: "Alice", passwordHash: HASH, room: "hall", role: "admin", now: 1 });
  store.createPlayer({ key: "bob", name: "Bob", passwordHash: HASH, room: "hall", now: 1 });
  expect(store.countAdmins()).toBe(1);
  store.setRole("bob", "admin");
  expect(store.countAdmins()).toBe(2);
  store.setRole("alice", "builder");
  expect(store.countAdmins()).toBe(1);
});
