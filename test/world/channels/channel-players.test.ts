/**
 * GMCP `Comm.Channel.Players` (issue 8): a client's request is answered, to it alone, with who
 * is online and the channels each is in — the first page of them, as `who` shows, so the answer
 * never grows with the crowd. The payload matches the package's schema.
 */
import { afterEach, expect, it } from "vitest";
import { commChannelPlayersSchema } from "../../../src/session/gmcp-packages.js";
import { WHO_PAGE_SIZE } from "../../../src/world/actions/who.js";
import { makeTestWorld, type TestWorld } from "../../support/transcript.js";

let tw: TestWorld | undefined;
afterEach(() => {
  tw?.close();
  tw = undefined;
});

function ask(t: TestWorld, session: number): unknown[] {
  const from = t.gateway.sent.length;
  t.world.receive({ type: "oob", session, channel: "Comm.Channel.Players", data: undefined });
  return t.gateway.oobFor(session, from).filter((m) => m.channel === "Comm.Channel.Players").map((m) => m.data);
}

it("answers with each player online and their channels, to the asker only", async () => {
  tw = makeTestWorld();
  const alice = await tw.join("Alice");
  const bob = await tw.join("Bob");
  tw.run(bob, "leave chat");
  const from = tw.gateway.sent.length;
  const [answer] = ask(tw, alice.session);
  expect(answer).toEqual([
    { name: "Alice", channels: ["chat"] },
    { name: "Bob", channels: [] },
  ]);
  expect(commChannelPlayersSchema.safeParse(answer).success).toBe(true);
  expect(tw.gateway.oobFor(bob.session, from)).toEqual([]);
});

it("lists at most a page of players, however many are online", async () => {
  tw = makeTestWorld();
  const letters = "bcdfghjkpqstxz";
  const first = await tw.join("Pqbb");
  for (let i = 1; i < WHO_PAGE_SIZE + 5; i++) await tw.join(`Pq${letters[Math.floor(i / letters.length)]}${letters[i % letters.length]}`);
  const [answer] = ask(tw, first.session) as unknown[][];
  expect(answer).toHaveLength(WHO_PAGE_SIZE);
});

it("a session still at the login prompt asks for nothing", () => {
  tw = makeTestWorld();
  tw.world.receive({ type: "connected", session: 99, door: "telnet", peer: "127.0.0.1", caps: { ansi: true, width: 80, height: 24 } });
  expect(ask(tw, 99)).toEqual([]);
});
