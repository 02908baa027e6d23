/**
 * Who and what is around, out of band (issue 9; src/world/room-contents.ts): each trigger, and
 * the exact messages its actor, its target and a bystander receive — `Room.Players`,
 * `Room.AddPlayer`, `Room.RemovePlayer`, `Char.Items.List`/`.Add`/`.Remove` and
 * `Loom.Commands` — and that one message reaches every reader (never one per reader). Every
 * payload is checked against its package's schema.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GMCP_STATE_REQUEST, GmcpServerMessages, isReplayed, MAX_LISTED_ITEMS, MAX_ROOM_PLAYERS, type GmcpServerMessage } from "../../src/session/gmcp-packages.js";
import type { OutboundMessage } from "../../src/session/messages.js";
import { MAX_ITEM_CHANGES } from "../../src/world/room-contents.js";
import { makeTestWorld, type TestPlayer, type TestWorld } from "../support/transcript.js";
import { joinAs } from "./building/builders.js";

let tw: TestWorld;
beforeEach(() => {
  tw = makeTestWorld();
});
afterEach(() => tw.close());

type Oob = { channel: string; data: unknown };

/** The out-of-band messages `player` received since `from`, each checked against its schema. */
function oob(player: TestPlayer, from: number): Oob[] {
  const got = tw.gateway.oobFor(player.session, from);
  for (const { channel, data } of got) {
    expect(Object.hasOwn(GmcpServerMessages, channel), channel).toBe(true);
    const parsed = GmcpServerMessages[channel as GmcpServerMessage].schema.safeParse(data);
    expect(parsed.success, `${channel} ${JSON.stringify(data)}`).toBe(true);
  }
  return got;
}

/** Runs `command` as `actor` and returns what each of `watchers` received out of band. */
function runOob(actor: TestPlayer, command: string, ...watchers: TestPlayer[]): Oob[][] {
  const from = tw.gateway.sent.length;
  tw.run(actor, command);
  return watchers.map((w) => oob(w, from));
}

/** The oob gateway messages sent since `from`: each names all its recipients at once. */
function oobMessages(from: number): Extract<OutboundMessage, { type: "oob" }>[] {
  return tw.gateway.sent.slice(from).flatMap((m) => (m.type === "oob" ? [m] : []));
}

const HALL_ITEMS = [
  { id: "chest", name: "oak chest", attrib: "c" },
  { id: "red-apple", name: "red apple", attrib: "t" },
  { id: "green-apple", name: "green apple", attrib: "t" },
  { id: "fountain", name: "stone fountain" },
  { id: "basket", name: "wicker basket", attrib: "tc" },
];
const RED_APPLE = { id: "red-apple", name: "red apple", attrib: "t" };
/**
 * What a session is sent out of band on entering the world, in order, up to the channel list:
 * who you are, what you can type, the room, who and what is in it, then your hands.
 */
const ARRIVAL_CHANNELS = ["Char.Name", "Char.Status", "Loom.Commands", "Room.Info", "Room.Players", "Char.Items.List", "Char.Items.List"];
const player = (name: string) => ({ name, fullname: name });

describe("entering the world", () => {
  it("sends the player their commands, the room's people and things, and their hands, in that order", async () => {
    const alice = await tw.join("Alice");
    const got = oob(alice, 0);
    expect(got.map((m) => m.channel)).toEqual([...ARRIVAL_CHANNELS, "Comm.Channel.List"]);
    expect(got[4]!.data).toEqual([]);
    expect(got[5]!.data).toEqual({ location: "room", items: HALL_ITEMS });
    expect(got[6]!.data).toEqual({ location: "inv", items: [] });
  });

  it("the others in the room get Room.AddPlayer; the newcomer a Room.Players naming them", async () => {
    const alice = await tw.join("Alice");
    const from = tw.gateway.sent.length;
    const bob = await tw.join("Bob");
    expect(oob(alice, from)).toEqual([{ channel: "Room.AddPlayer", data: player("Bob") }]);
    expect(oob(bob, from).find((m) => m.channel === "Room.Players")?.data).toEqual([player("Alice")]);
  });

  it("a takeover from a new connection is sent the room's lists again; nobody else hears of it", async () => {
    const alice = await tw.join("Alice");
    const bob = await tw.join("Bob");
    tw.run(alice, "get red apple");
    const from = tw.gateway.sent.length;
    const again = await tw.join("Alice", "line", "connect");
    const got = oob(again, from);
    expect(got.filter((m) => m.channel !== "Comm.Channel.List").map((m) => m.channel)).toEqual(ARRIVAL_CHANNELS);
    expect(got[4]!.data).toEqual([player("Bob")]);
    expect(got[6]!.data).toEqual({ location: "inv", items: [RED_APPLE] });
    expect(oob(bob, from)).toEqual([]);
  });

  it("quitting and a dropped connection: Room.RemovePlayer, a bare name, to the room", async () => {
    const alice = await tw.join("Alice");
    const bob = await tw.join("Bob");
    const carol = await tw.join("Carol");
    let from = tw.gateway.sent.length;
    tw.leave(bob, "quit");
    expect(oob(alice, from)).toEqual([{ channel: "Room.RemovePlayer", data: "Bob" }]);
    from = tw.gateway.sent.length;
    tw.leave(carol, "dropped");
    expect(oob(alice, from)).toEqual([{ channel: "Room.RemovePlayer", data: "Carol" }]);
  });
});

describe("moving", () => {
  it("the room left gets Room.RemovePlayer, the room reached Room.AddPlayer, the walker the new room's lists", async () => {
    const alice = await tw.join("Alice");
    const bob = await tw.join("Bob");
    const carol = await tw.join("Carol");
    tw.run(carol, "north");
    const [a, b, c] = runOob(alice, "north", alice, bob, carol);
    expect(b).toEqual([{ channel: "Room.RemovePlayer", data: "Alice" }]);
    expect(c).toEqual([{ channel: "Room.AddPlayer", data: player("Alice") }]);
    expect(a!.map((m) => m.channel)).toEqual(["Room.Info", "Room.Players", "Char.Items.List"]);
    expect(a![1]!.data).toEqual([player("Carol")]);
    // Marta is a character but no player: an item, attrib "m".
    expect(a![2]!.data).toEqual({
      location: "room",
      items: [
        { id: "brass-key", name: "brass key", attrib: "t" },
        { id: "pear", name: "yellow pear", attrib: "t" },
        { id: "marta", name: "Marta", attrib: "m" },
      ],
    });
  });

  it("looking again sends none of it; coming back does", async () => {
    const alice = await tw.join("Alice");
    expect(runOob(alice, "look", alice)[0]).toEqual([]);
    tw.run(alice, "north");
    expect(runOob(alice, "south", alice)[0]!.map((m) => m.channel)).toEqual(["Room.Info", "Room.Players", "Char.Items.List"]);
  });

  it("one Room.AddPlayer message reaches every bystander at once", async () => {
    const alice = await tw.join("Alice");
    const readers = [await tw.join("Bob"), await tw.join("Carol"), await tw.join("Dan")];
    for (const r of readers) tw.run(r, "north");
    const from = tw.gateway.sent.length;
    tw.run(alice, "north");
    const adds = oobMessages(from).filter((m) => m.channel === "Room.AddPlayer");
    expect(adds).toHaveLength(1);
    expect([...adds[0]!.to].sort()).toEqual(readers.map((r) => r.session).sort());
  });

  it("a wandering cat comes in and goes out as an item (attrib m)", async () => {
    const alice = await tw.join("Alice");
    const bob = await tw.join("Bob");
    // The vault's only way out is the locked iron door (test/world/behaviours/wander.test.ts).
    tw.run(alice, "north");
    tw.run(alice, "get key");
    tw.run(alice, "south");
    tw.run(alice, "unlock iron door");
    tw.run(alice, "open iron door");
    // random() is 0: the cat's first step is half its 30 s mean, west from the vault into the hall.
    let from = tw.gateway.sent.length;
    tw.advance(15_000);
    const cat = { id: "cat", name: "grey cat", attrib: "m" };
    expect(oob(bob, from)).toEqual([{ channel: "Char.Items.Add", data: { location: "room", item: cat } }]);
    from = tw.gateway.sent.length;
    tw.advance(15_000);
    expect(oob(bob, from)).toEqual([{ channel: "Char.Items.Remove", data: { location: "room", item: cat } }]);
  });
});

describe("handling things", () => {
  it("get and drop: the actor's floor and hands, the bystander's floor, nothing for another room", async () => {
    const alice = await tw.join("Alice");
    const bob = await tw.join("Bob");
    const carol = await tw.join("Carol");
    tw.run(carol, "north");
    const [a, b, c] = runOob(alice, "get red apple", alice, bob, carol);
    expect(a).toEqual([
      { channel: "Char.Items.Remove", data: { location: "room", item: RED_APPLE } },
      { channel: "Char.Items.Add", data: { location: "inv", item: RED_APPLE } },
    ]);
    expect(b).toEqual([{ channel: "Char.Items.Remove", data: { location: "room", item: RED_APPLE } }]);
    expect(c).toEqual([]);
    const [a2, b2] = runOob(alice, "drop apple", alice, bob);
    expect(a2).toEqual([
      { channel: "Char.Items.Remove", data: { location: "inv", item: RED_APPLE } },
      { channel: "Char.Items.Add", data: { location: "room", item: RED_APPLE } },
    ]);
    expect(b2).toEqual([{ channel: "Char.Items.Add", data: { location: "room", item: RED_APPLE } }]);
  });

  it("a refused get sends nothing", async () => {
    const alice = await tw.join("Alice");
    const bob = await tw.join("Bob");
    expect(runOob(alice, "get fountain", alice, bob)).toEqual([[], []]);
  });

  it("out of a container and into one: only the actor's hands change", async () => {
    const alice = await tw.join("Alice");
    const bob = await tw.join("Bob");
    tw.run(alice, "get red apple");
    const [a, b] = runOob(alice, "put apple in basket", alice, bob);
    expect(a).toEqual([{ channel: "Char.Items.Remove", data: { location: "inv", item: RED_APPLE } }]);
    expect(b).toEqual([]);
    const [a2, b2] = runOob(alice, "get apple from basket", alice, bob);
    expect(a2).toEqual([{ channel: "Char.Items.Add", data: { location: "inv", item: RED_APPLE } }]);
    expect(b2).toEqual([]);
  });

  it("give: the giver's hands lose it, the receiver's gain it, a bystander hears nothing of it", async () => {
    const alice = await tw.join("Alice");
    const bob = await tw.join("Bob");
    const carol = await tw.join("Carol");
    tw.run(alice, "get red apple");
    const [a, b, c] = runOob(alice, "give apple to bob", alice, bob, carol);
    expect(a).toEqual([{ channel: "Char.Items.Remove", data: { location: "inv", item: RED_APPLE } }]);
    expect(b).toEqual([{ channel: "Char.Items.Add", data: { location: "inv", item: RED_APPLE } }]);
    expect(c).toEqual([]);
  });

  it(`${MAX_ITEM_CHANGES} things at once are told one by one; more, as one fresh list instead of a message a thing`, async () => {
    const ann = await joinAs(tw, "Ann");
    const bob = await tw.join("Bob");
    for (let i = 0; i < MAX_ITEM_CHANGES; i++) tw.run(ann, "make a pebble");
    const [a, b] = runOob(ann, "drop all", ann, bob);
    expect(a!.map((m) => m.channel)).toEqual([...Array<string>(MAX_ITEM_CHANGES).fill("Char.Items.Remove"), ...Array<string>(MAX_ITEM_CHANGES).fill("Char.Items.Add")]);
    expect(b!.map((m) => m.channel)).toEqual(Array<string>(MAX_ITEM_CHANGES).fill("Char.Items.Add"));
    // Now the pebbles and the hall's three portable things: one past the limit and more.
    const [a2, b2] = runOob(ann, "get all", ann, bob);
    expect(a2!.map((m) => m.channel)).toEqual(["Char.Items.List", "Char.Items.List"]);
    expect(a2![0]!.data).toEqual({ location: "room", items: HALL_ITEMS.filter((i) => i.attrib?.includes("t") !== true) });
    expect(a2![1]!.data).toMatchObject({ location: "inv" });
    expect((a2![1]!.data as { items: unknown[] }).items).toHaveLength(MAX_ITEM_CHANGES + 3);
    expect(b2).toEqual([a2![0]]);
  });
});

describe("what grows back and what builders do", () => {
  it("a respawning pear growing back is a Char.Items.Add for the room, with no text", async () => {
    const alice = await tw.join("Alice");
    tw.run(alice, "north");
    tw.run(alice, "get pear");
    tw.run(alice, "south");
    const bob = await tw.join("Bob");
    tw.run(bob, "north");
    tw.advance(2_000); // Marta's greeting
    const from = tw.gateway.sent.length;
    const read = tw.advance(60_000);
    // The cat wanders through meanwhile; the pear grows back without a word.
    expect(read["Bob"]!.join("\n")).not.toMatch(/pear/);
    const got = oob(bob, from).filter((m) => (m.data as { item?: { name: string } }).item?.name !== "grey cat");
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ channel: "Char.Items.Add", data: { location: "room", item: { name: "yellow pear", attrib: "t" } } });
    expect((got[0]!.data as { item: { id: string } }).item.id).not.toBe("pear");
    expect(oob(alice, from)).toEqual([]);
  });

  it("teleport: the room left gets Room.RemovePlayer, the room reached Room.AddPlayer", async () => {
    const ann = await joinAs(tw, "Ann");
    const bob = await tw.join("Bob");
    const carol = await tw.join("Carol");
    tw.run(carol, "north");
    tw.run(carol, "west");
    const [a, b, c] = runOob(ann, "teleport garden", ann, bob, carol);
    expect(b).toEqual([{ channel: "Room.RemovePlayer", data: "Ann" }]);
    expect(c).toEqual([{ channel: "Room.AddPlayer", data: player("Ann") }]);
    expect(a!.map((m) => m.channel)).toEqual(["Room.Info", "Room.Players", "Char.Items.List"]);
    expect(a![1]!.data).toEqual([player("Carol")]);
  });

  it("make puts a thing in the builder's hands; destroy takes it from wherever it was, and what it held falls", async () => {
    const ann = await joinAs(tw, "Ann");
    const bob = await tw.join("Bob");
    const vase = { id: "blue-vase", name: "blue vase", attrib: "t" };
    const [a, b] = runOob(ann, "make a blue vase", ann, bob);
    expect(a).toEqual([{ channel: "Char.Items.Add", data: { location: "inv", item: vase } }]);
    expect(b).toEqual([]);
    const [a2, b2] = runOob(ann, "destroy blue-vase", ann, bob);
    expect(a2).toEqual([{ channel: "Char.Items.Remove", data: { location: "inv", item: vase } }]);
    expect(b2).toEqual([]);
    tw.run(ann, "get red apple");
    tw.run(ann, "put apple in basket");
    const basket = HALL_ITEMS[4]!;
    const [a3, b3] = runOob(ann, "destroy basket", ann, bob);
    const expected = [
      { channel: "Char.Items.Remove", data: { location: "room", item: basket } },
      { channel: "Char.Items.Add", data: { location: "room", item: RED_APPLE } },
    ];
    expect(a3).toEqual(expected);
    expect(b3).toEqual(expected);
  });
});

describe("Loom.Commands", () => {
  it("a player's: sorted, each once, compass words and short forms in, no builder's or admin's, no punctuation", async () => {
    const alice = await tw.join("Alice");
    const commands = oob(alice, 0).find((m) => m.channel === "Loom.Commands")!.data as string[];
    expect(commands).toEqual([...new Set(commands)].sort());
    expect(commands).toEqual(expect.arrayContaining(["look", "l", "get", "take", "north", "n", "northeast", "ne", "up", "u", "say", "quit"]));
    for (const word of ["teleport", "make", "kick", "role", "'", ":"]) expect(commands).not.toContain(word);
  });

  it("a builder's include the building commands", async () => {
    const ann = await joinAs(tw, "Ann");
    const commands = oob(ann, 0).find((m) => m.channel === "Loom.Commands")!.data as string[];
    expect(commands).toEqual(expect.arrayContaining(["teleport", "make", "dig", "look"]));
    expect(commands).not.toContain("kick");
  });
});

describe("asking", () => {
  it("IRE's Char.Items.Inv is answered with the hands' list, to the asker only; Char.Items.Room is not answered", async () => {
    const alice = await tw.join("Alice");
    const bob = await tw.join("Bob");
    tw.run(alice, "get red apple");
    let from = tw.gateway.sent.length;
    tw.world.receive({ type: "oob", session: alice.session, channel: "char.items.inv", data: undefined });
    expect(oob(alice, from)).toEqual([{ channel: "Char.Items.List", data: { location: "inv", items: [RED_APPLE] } }]);
    expect(oob(bob, from)).toEqual([]);
    from = tw.gateway.sent.length;
    tw.world.receive({ type: "oob", session: alice.session, channel: "Char.Items.Room", data: undefined });
    expect(tw.gateway.sent.length).toBe(from);
  });
});

describe("asking for the state again", () => {
  it("Loom.State.Ask (a telnet client agreeing to GMCP late, issue 11 target 3) is answered with every state message the login sent, as it is now, to the asker only", async () => {
    let from = tw.gateway.sent.length;
    const alice = await tw.join("Alice");
    const replayed = (messages: { channel: string }[]) => messages.filter((m) => isReplayed(m.channel));
    const atLogin = replayed(oob(alice, from));
    expect(atLogin.map((m) => m.channel).sort()).toEqual(
      ["Char.Items.List", "Char.Items.List", "Char.Name", "Char.Status", "Comm.Channel.List", "Loom.Commands", "Room.Info", "Room.Players"].sort(),
    );
    const bob = await tw.join("Bob");
    from = tw.gateway.sent.length;
    tw.world.receive({ type: "oob", session: alice.session, channel: GMCP_STATE_REQUEST, data: undefined });
    const answer = oob(alice, from);
    expect(oob(bob, from)).toEqual([]);
    // The same messages, with Bob now among the people there.
    expect(answer.map((m) => m.channel).sort()).toEqual(atLogin.map((m) => m.channel).sort());
    expect(answer.find((m) => m.channel === "Room.Players")?.data).toEqual([{ name: "Bob", fullname: "Bob" }]);
    for (const message of atLogin.filter((m) => m.channel !== "Room.Players")) expect(answer).toContainEqual(message);
  });
});

describe("bounds", () => {
  it(`Room.Players names ${MAX_ROOM_PLAYERS} people at the cap, and the first ${MAX_ROOM_PLAYERS} of one more`, async () => {
    const others: TestPlayer[] = [];
    // Letters no name check reads as like another ("Peal" reads too much like "Peai").
    const safe = "abdfghjkpqstxyz";
    for (let i = 0; i < MAX_ROOM_PLAYERS; i++) others.push(await tw.join(`Pe${safe[Math.floor(i / safe.length)]}${safe[i % safe.length]}`));
    let from = tw.gateway.sent.length;
    const atCap = await tw.join("Zed");
    const list = oob(atCap, from).find((m) => m.channel === "Room.Players")!.data as { name: string }[];
    expect(list.map((p) => p.name)).toEqual(others.map((p) => p.name));
    from = tw.gateway.sent.length;
    const past = await tw.join("Zoe");
    const list2 = oob(past, from).find((m) => m.channel === "Room.Players")!.data as { name: string }[];
    expect(list2).toHaveLength(MAX_ROOM_PLAYERS);
    expect(list2.map((p) => p.name)).toEqual(others.map((p) => p.name));
  });

  it(`Char.Items.List names ${MAX_LISTED_ITEMS} things at the cap, and the first ${MAX_LISTED_ITEMS} of one more`, async () => {
    const ann = await joinAs(tw, "Ann");
    for (let i = HALL_ITEMS.length; i < MAX_LISTED_ITEMS; i++) tw.run(ann, "make a pebble");
    tw.run(ann, "drop all");
    let from = tw.gateway.sent.length;
    const bob = await tw.join("Bob");
    const items = (oob(bob, from).find((m) => m.channel === "Char.Items.List")!.data as { items: { id: string }[] }).items;
    expect(items).toHaveLength(MAX_LISTED_ITEMS);
    tw.run(ann, "make a last pebble");
    tw.run(ann, "drop pebble");
    from = tw.gateway.sent.length;
    const carol = await tw.join("Carol");
    const items2 = (oob(carol, from).find((m) => m.channel === "Char.Items.List")!.data as { items: { id: string }[] }).items;
    expect(items2).toEqual(items);
  });

  it(`the hands' Char.Items.List at login names the first ${MAX_LISTED_ITEMS} of one more`, async () => {
    const ann = await joinAs(tw, "Ann");
    for (let i = 0; i <= MAX_LISTED_ITEMS; i++) tw.run(ann, "make a pebble");
    const from = tw.gateway.sent.length;
    const again = await tw.join("Ann", "line", "connect");
    const inv = oob(again, from).filter((m) => m.channel === "Char.Items.List")[1]!.data as { location: string; items: unknown[] };
    expect(inv.location).toBe("inv");
    expect(inv.items).toHaveLength(MAX_LISTED_ITEMS);
  });
});
