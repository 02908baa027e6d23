/**
 * Transcripts for src/world/actions/colour.ts: `color` shows the player's colour choice and
 * what their client announced, `color <on|off|16|256|truecolor>` changes it, and the choice is
 * saved with the character and passed to the connection at every login, before the room is
 * shown. The world sends the choice to the session boundary the same way whatever the door.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ClientCapabilities, ColourMode, Door, SessionId } from "../../../src/session/messages.js";
import { openSqliteStore } from "../../../src/store/sqlite-store.js";
import { colourModeOf } from "../../../src/world/actions/colour.js";
import { makeTestWorld, type TestWorld } from "../../support/transcript.js";

const worlds: TestWorld[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function world(options: Parameters<typeof makeTestWorld>[0] = {}): TestWorld {
  const w = makeTestWorld(options);
  worlds.push(w);
  return w;
}

/** A telnet client that announced nothing (a terminal: 16 colours assumed). */
const TERMINAL: ClientCapabilities = { ansi: true, width: 80, height: 24 };
/** Mudlet's MTTS: 256 colours. */
const MTTS_256: ClientCapabilities = { ...TERMINAL, client: "MUDLET", colour: "256" };
/** A client that announced no colour at all (the line door's caps). */
const NO_COLOUR: ClientCapabilities = { ansi: false, width: 80, height: 24 };

const SAMPLE = 'Looks like: a room title, an exit, a name, "speech", a thing, an error, a notice, dim text, bold text.';
const CHANGE = "Type color on, off, 16, 256 or truecolor to change it.";

let nextSession = 100;

/** Connects with `caps` and logs `name` in; resolves with the session once it plays. */
async function enter(w: TestWorld, name: string, caps: ClientCapabilities, how: "create" | "connect" = "create", door: Door = "telnet"): Promise<SessionId> {
  const session = nextSession++;
  const from = w.gateway.sent.length;
  w.world.receive({ type: "connected", session, door, peer: "127.0.0.1", caps });
  w.world.receive({ type: "line", session, text: `${how} ${name} pw-${name}-secret` });
  await expect.poll(() => w.gateway.linesFor(session, from).some((t) => t.startsWith(`Welcome, ${name}.`))).toBe(true);
  return session;
}

/** Runs a command; returns what the session read. */
function run(w: TestWorld, session: SessionId, command: string): string[] {
  const from = w.gateway.sent.length;
  w.world.receive({ type: "line", session, text: command });
  return w.gateway.linesFor(session, from);
}

/** The colour choices the world sent to `session` since `from`. */
function coloursSent(w: TestWorld, session: SessionId, from = 0): ColourMode[] {
  return w.gateway.sent.slice(from).flatMap((m) => (m.type === "colour" && m.session === session ? [m.mode] : []));
}

/** The stored colour choice of a player's character. */
function stored(w: TestWorld, key: string): string | undefined {
  return w.store.loadHeld(`player:${key}`).find((t) => t.record.id === `player:${key}`)?.record.facets.character?.colour;
}

describe("color alone", () => {
  it("shows the mode, what the client announced, a sample and how to change it", async () => {
    const w = world();
    const alice = await enter(w, "Alice", MTTS_256);
    expect(run(w, alice, "color")).toEqual([
      "Colour is on, following your client: 256 colours.",
      "Your client announced 256 colours.",
      SAMPLE,
      CHANGE,
    ]);
  });

  it("a terminal that announced nothing is assumed to show 16", async () => {
    const w = world();
    const alice = await enter(w, "Alice", TERMINAL);
    expect(run(w, alice, "colour")).toEqual([
      "Colour is on, following your client: 16 colours.",
      "Your client did not announce how many colours it shows; 16 are assumed.",
      SAMPLE,
      CHANGE,
    ]);
  });

  it("a client that announced no colour: none, and no sample", async () => {
    const w = world();
    const alice = await enter(w, "Alice", NO_COLOUR, "create", "line");
    expect(run(w, alice, "color")).toEqual(["Colour is on, following your client: none.", "Your client announced no colour.", CHANGE]);
  });

  it("follows what the client announces later (MTTS arrives after the login)", async () => {
    const w = world();
    const alice = await enter(w, "Alice", TERMINAL);
    w.world.receive({ type: "caps", session: alice, caps: { ...TERMINAL, colour: "truecolor" } });
    expect(run(w, alice, "color").slice(0, 2)).toEqual([
      "Colour is on, following your client: true colour (24-bit).",
      "Your client announced true colour (24-bit).",
    ]);
  });

  it("changes nothing and sends no choice", async () => {
    const w = world();
    const alice = await enter(w, "Alice", MTTS_256);
    const from = w.gateway.sent.length;
    run(w, alice, "color");
    expect(coloursSent(w, alice, from)).toEqual([]);
    expect(stored(w, "alice")).toBeUndefined();
  });
});

describe("color <mode>", () => {
  it.each([
    ["off", "off", ["Colour is now off."]],
    ["16", "16", ["Colour is now 16 colours, whatever your client announced.", SAMPLE]],
    ["256", "256", ["Colour is now 256 colours, whatever your client announced.", SAMPLE]],
    ["truecolor", "truecolor", ["Colour is now true colour (24-bit), whatever your client announced.", SAMPLE]],
    ["truecolour", "truecolor", ["Colour is now true colour (24-bit), whatever your client announced.", SAMPLE]],
    ["OFF", "off", ["Colour is now off."]],
  ] as const)("color %s: the connection is told %s before the answer, which only the chooser reads", async (typed, mode, answer) => {
    const w = world();
    const alice = await enter(w, "Alice", MTTS_256);
    const bob = await enter(w, "Bob", MTTS_256);
    const from = w.gateway.sent.length;
    w.world.receive({ type: "line", session: alice, text: `color ${typed}` });
    expect(w.gateway.linesFor(alice, from)).toEqual(answer);
    expect(w.gateway.linesFor(bob, from)).toEqual([]);
    const sent = w.gateway.sent.slice(from);
    expect(sent[0]).toEqual({ type: "colour", session: alice, mode });
    expect(sent.slice(1).every((m) => m.type === "deliver")).toBe(true);
    expect(stored(w, "alice")).toBe(mode);
    expect(run(w, alice, "color")[0]).toBe(mode === "off" ? "Colour is off." : answer[0].replace("is now", "is"));
  });

  it("color on goes back to following the client, and forgets the stored choice", async () => {
    const w = world();
    const alice = await enter(w, "Alice", MTTS_256);
    run(w, alice, "color off");
    expect(stored(w, "alice")).toBe("off");
    const from = w.gateway.sent.length;
    expect(run(w, alice, "color on")).toEqual(["Colour is now on, following your client: 256 colours.", SAMPLE]);
    expect(coloursSent(w, alice, from)).toEqual(["on"]);
    expect(stored(w, "alice")).toBeUndefined();
    const record = w.store.loadHeld("player:alice").find((t) => t.record.id === "player:alice")?.record;
    expect(record?.facets.character).toEqual({ pronouns: "they", player: "alice" });
  });

  it("color on with a client that announced no colour says how to have it anyway", async () => {
    const w = world();
    const alice = await enter(w, "Alice", NO_COLOUR, "create", "line");
    expect(run(w, alice, "color on")).toEqual([
      "Colour is now on, following your client: none.",
      "Your client announced no colour; type color 16 to have it anyway.",
    ]);
  });

  it("a mode the world does not know is refused, and nothing changes", async () => {
    const w = world();
    const alice = await enter(w, "Alice", MTTS_256);
    run(w, alice, "color 16");
    for (const bad of ["blue", "88", "256 please", "constructor", "__proto__"]) {
      const from = w.gateway.sent.length;
      expect(run(w, alice, `color ${bad}`)).toEqual(["Choose one of: on, off, 16, 256 or truecolor."]);
      expect(coloursSent(w, alice, from)).toEqual([]);
    }
    expect(stored(w, "alice")).toBe("16");
  });

  it("the world sends the choice the same way whatever the door: what it means is the door's", async () => {
    const w = world();
    const alice = await enter(w, "Alice", NO_COLOUR, "create", "line");
    const from = w.gateway.sent.length;
    expect(run(w, alice, "color 256")).toEqual(["Colour is now 256 colours, whatever your client announced.", SAMPLE]);
    expect(coloursSent(w, alice, from)).toEqual(["256"]);
  });
});

describe("remembered per character", () => {
  it("every login sends the choice before the welcome and the room; a new character's is on", async () => {
    const w = world();
    const from = w.gateway.sent.length;
    const alice = await enter(w, "Alice", MTTS_256);
    const sent = w.gateway.sent.slice(from);
    const colourAt = sent.findIndex((m) => m.type === "colour" && m.session === alice);
    const welcomeAt = sent.findIndex((m) => m.type === "deliver" && m.to.includes(alice) && JSON.stringify(m.message).includes("Welcome, Alice."));
    const roomAt = sent.findIndex((m) => m.type === "oob" && m.channel === "Room.Info" && m.to.includes(alice));
    expect(sent[colourAt]).toEqual({ type: "colour", session: alice, mode: "on" });
    expect(colourAt).toBeGreaterThanOrEqual(0);
    expect(colourAt).toBeLessThan(welcomeAt);
    expect(welcomeAt).toBeLessThan(roomAt);
  });

  it("across a re-login", async () => {
    const w = world();
    const first = await enter(w, "Alice", MTTS_256);
    run(w, first, "color 16");
    w.world.receive({ type: "line", session: first, text: "quit" });
    w.world.receive({ type: "disconnected", session: first, reason: { code: "quit", message: "quit" } });
    const from = w.gateway.sent.length;
    const again = await enter(w, "Alice", MTTS_256, "connect");
    expect(coloursSent(w, again, from)).toEqual(["16"]);
    expect(run(w, again, "color")[0]).toBe("Colour is 16 colours, whatever your client announced.");
  });

  it("on a second connection that takes the character over", async () => {
    const w = world();
    const first = await enter(w, "Alice", MTTS_256);
    run(w, first, "color truecolor");
    const from = w.gateway.sent.length;
    const second = await enter(w, "Alice", TERMINAL, "connect");
    expect(coloursSent(w, second, from)).toEqual(["truecolor"]);
  });

  it("across a restart", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "loom-colour-"));
    dirs.push(dataDir);
    const before = world({ store: openSqliteStore({ dataDir }) });
    const alice = await enter(before, "Alice", MTTS_256);
    run(before, alice, "color off");
    worlds.splice(worlds.indexOf(before), 1);
    before.close();

    const after = world({ store: openSqliteStore({ dataDir }) });
    const from = after.gateway.sent.length;
    const back = await enter(after, "Alice", MTTS_256, "connect");
    expect(coloursSent(after, back, from)).toEqual(["off"]);
    expect(run(after, back, "color")[0]).toBe("Colour is off.");
  });

  it("a stored value the world does not know counts as on", async () => {
    const w = world();
    const alice = await enter(w, "Alice", MTTS_256);
    const character = w.world.thing("player:alice")!;
    expect(colourModeOf(character)).toBe("on");
    Object.assign(character.character!, { colour: "blue" });
    expect(colourModeOf(character)).toBe("on");
    expect(run(w, alice, "color")[0]).toBe("Colour is on, following your client: 256 colours.");
  });
});

describe("help", () => {
  it("lists color with its usage", async () => {
    const w = world();
    const alice = await enter(w, "Alice", MTTS_256);
    expect(run(w, alice, "help").join("\n")).toMatch(/color \[on\|off\|16\|256\|truecolor\]/);
    expect(run(w, alice, "help colour").join("\n")).toContain("Your choice is remembered for your next visit.");
  });
});
