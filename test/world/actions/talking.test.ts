/**
 * Transcripts for the talking commands of issue 7 in src/world/actions/communication.ts:
 * reply, whisper, ignore and unignore, ignoring across say, emote, tell, whisper and channels,
 * and a muted player's words refused by each command that speaks.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type TestPlayer, type TestWorld, threePlayers } from "../../support/transcript.js";

let tw: TestWorld;
let alice: TestPlayer;
let bob: TestPlayer;
let carol: TestPlayer;

beforeEach(async () => {
  ({ tw, alice, bob, carol } = await threePlayers());
});
afterEach(() => tw.close());

const MUTED = "You are muted and cannot speak.";

describe("reply", () => {
  it("answers the last person who told you something, wherever they are", () => {
    tw.run(bob, "north");
    tw.run(bob, "tell alice are you coming?");
    expect(tw.run(alice, "reply on my way")).toEqual({
      Alice: ['You tell Bob, "on my way"'],
      Bob: ['Alice tells you, "on my way"'],
      Carol: [],
    });
    // The reply was a tell: Bob's reply answers Alice.
    expect(tw.run(bob, "reply good").Alice).toEqual(['Bob tells you, "good"']);
  });

  it("the last teller wins", () => {
    tw.run(bob, "tell alice one");
    tw.run(carol, "tell alice two");
    expect(tw.run(alice, "reply to you").Carol).toEqual(['Alice tells you, "to you"']);
  });

  it("nobody has told you anything: Nobody has told you anything yet.", () => {
    expect(tw.run(alice, "reply hello?")).toEqual({ Alice: ["Nobody has told you anything yet."], Bob: [], Carol: [] });
    // A tell you sent does not count, nor one to yourself.
    tw.run(alice, "tell bob hi");
    tw.run(alice, "tell alice note to self");
    expect(tw.run(alice, "reply hello?").Alice).toEqual(["Nobody has told you anything yet."]);
  });

  it("the teller has gone: Bob is not online.", () => {
    tw.run(bob, "tell alice bye");
    tw.leave(bob, "quit");
    expect(tw.run(alice, "reply wait!")).toEqual({ Alice: ["Bob is not online."], Carol: [] });
  });

  it("the teller came back on a new connection: the reply reaches them", async () => {
    tw.run(bob, "tell alice brb");
    tw.leave(bob);
    bob = await tw.join("Bob", "line", "connect");
    expect(tw.run(alice, "reply welcome back").Bob).toEqual(['Alice tells you, "welcome back"']);
  });

  it("nothing to say: Reply what?", () => {
    tw.run(bob, "tell alice hm");
    expect(tw.run(alice, "reply")).toEqual({ Alice: ["Reply what? Type: reply <text>, to answer Bob."], Bob: [], Carol: [] });
  });
});

describe("whisper", () => {
  it("the target reads the words; the room sees only that you whispered", () => {
    expect(tw.run(alice, "whisper bob meet me upstairs")).toEqual({
      Alice: ['You whisper to Bob, "meet me upstairs"'],
      Bob: ['Alice whispers to you, "meet me upstairs"'],
      Carol: ["Alice whispers something to Bob."],
    });
  });

  it("to someone online elsewhere: Bob is not here.", () => {
    tw.run(bob, "north");
    expect(tw.run(alice, "whisper bob hello")).toEqual({ Alice: ["Bob is not here."], Bob: [], Carol: [] });
  });

  it("to nobody here: There is nobody like that here.", () => {
    expect(tw.run(alice, "whisper dave hello")).toEqual({ Alice: ["There is nobody like that here."], Bob: [], Carol: [] });
  });

  it("to yourself", () => {
    expect(tw.run(alice, "whisper me hmm")).toEqual({ Alice: ['You whisper to yourself, "hmm".'], Bob: [], Carol: [] });
  });

  it("to someone who is not a player: Marta", () => {
    tw.run(alice, "north");
    tw.run(bob, "north");
    tw.advance(2000); // Marta's greetings
    expect(tw.run(alice, "whisper marta a secret")).toEqual({ Alice: ['You whisper to Marta, "a secret"'], Bob: ["Alice whispers something to Marta."], Carol: [] });
  });

  it("with nothing to whisper, or no one: Whisper what to whom?", () => {
    const refused = { Alice: ["Whisper what to whom? Type: whisper <person> <text>"], Bob: [], Carol: [] };
    expect(tw.run(alice, "whisper bob")).toEqual(refused);
    expect(tw.run(alice, "whisper")).toEqual(refused);
  });
});

describe("ignore and unignore", () => {
  it("ignore <name>: saved, and the ignored person is not told", () => {
    expect(tw.run(carol, "ignore alice")).toEqual({
      Alice: [],
      Bob: [],
      Carol: ["You are now ignoring Alice. Type unignore Alice to read them again."],
    });
    expect(tw.store.ignoresOf("carol")).toEqual(["alice"]);
  });

  it("ignore alone lists whom you ignore", () => {
    expect(tw.run(carol, "ignore").Carol).toEqual(["You are not ignoring anyone."]);
    tw.run(carol, "ignore alice");
    expect(tw.run(carol, "ignore").Carol).toEqual(["You are ignoring Alice."]);
    tw.run(carol, "ignore BOB");
    expect(tw.run(carol, "ignore").Carol).toEqual(["You are ignoring Alice and Bob."]);
  });

  it("refusals: yourself, twice, no such player (an NPC is none), not a name", () => {
    expect(tw.run(carol, "ignore carol").Carol).toEqual(["You cannot ignore yourself."]);
    tw.run(carol, "ignore alice");
    expect(tw.run(carol, "ignore Alice").Carol).toEqual(["You are already ignoring Alice."]);
    expect(tw.run(carol, "ignore dave").Carol).toEqual(["There is no one called Dave."]);
    expect(tw.run(carol, "ignore marta").Carol).toEqual(["There is no one called Marta."]);
    expect(tw.run(carol, "ignore x1").Carol).toEqual(["There is no one called x1."]);
    expect(tw.store.ignoresOf("carol")).toEqual(["alice"]);
  });

  it("someone offline can be ignored: the name only has to exist", () => {
    tw.leave(bob);
    expect(tw.run(carol, "ignore bob").Carol).toEqual(["You are now ignoring Bob. Type unignore Bob to read them again."]);
  });

  it("at most 100 people", () => {
    for (let i = 0; i < 100; i++) {
      // Letters no two of which read alike (accounts/name-skeleton.ts).
      const letters = "bcdfghjkpt";
      const name = `Extra${letters[Math.floor(i / 10)]!}${letters[i % 10]!}`;
      tw.store.createPlayer({ key: name.toLowerCase(), name, passwordHash: "x", room: "hall", now: 0 });
      expect(tw.run(carol, `ignore ${name}`).Carol![0]).toMatch(/^You are now ignoring/);
    }
    expect(tw.run(carol, "ignore alice").Carol).toEqual(["You are ignoring 100 people already; unignore someone first."]);
    expect(tw.store.ignoresOf("carol")).toHaveLength(100);
  });

  it("unignore: You are no longer ignoring; not ignoring; saved", () => {
    tw.run(carol, "ignore alice");
    expect(tw.run(carol, "unignore alice")).toEqual({ Alice: [], Bob: [], Carol: ["You are no longer ignoring Alice."] });
    expect(tw.store.ignoresOf("carol")).toEqual([]);
    expect(tw.run(carol, "unignore alice").Carol).toEqual(["You are not ignoring Alice."]);
    expect(tw.run(carol, "unignore x1").Carol).toEqual(["You are not ignoring x1."]);
    expect(tw.run(carol, "unignore").Carol).toEqual(["Usage: unignore <name>"]);
    expect(tw.run(alice, "say back again").Carol).toEqual(['Alice says, "back again"']);
  });

  it("kept across logging in again", async () => {
    tw.run(carol, "ignore alice");
    tw.leave(carol, "quit");
    carol = await tw.join("Carol", "line", "connect");
    expect(tw.run(alice, "say still there?").Carol).toEqual([]);
    expect(tw.run(carol, "ignore").Carol).toEqual(["You are ignoring Alice."]);
  });
});

describe("ignoring hides say, emote, tell, whisper and channel lines, and nothing else", () => {
  beforeEach(() => {
    tw.run(carol, "ignore alice");
  });

  it("say and emote: the others read them", () => {
    expect(tw.run(alice, "say hello")).toEqual({ Alice: ['You say, "hello"'], Bob: ['Alice says, "hello"'], Carol: [] });
    expect(tw.run(alice, ":waves.")).toEqual({ Alice: ["Alice waves."], Bob: ["Alice waves."], Carol: [] });
  });

  it("tell: the teller's tell succeeds for them, and they do not become Carol's last teller", () => {
    tw.run(bob, "tell carol from bob");
    expect(tw.run(alice, "tell carol hello?")).toEqual({ Alice: ['You tell Carol, "hello?"'], Bob: [], Carol: [] });
    expect(tw.run(carol, "reply hi bob").Bob).toEqual(['Carol tells you, "hi bob"']);
  });

  it("whisper, to Carol or in front of her", () => {
    expect(tw.run(alice, "whisper carol psst")).toEqual({ Alice: ['You whisper to Carol, "psst"'], Bob: ["Alice whispers something to Carol."], Carol: [] });
    expect(tw.run(alice, "whisper bob psst")).toEqual({ Alice: ['You whisper to Bob, "psst"'], Bob: ['Alice whispers to you, "psst"'], Carol: [] });
  });

  it("channel posts, text and out-of-band", () => {
    const from = tw.gateway.sent.length;
    expect(tw.run(alice, "chat hi all")).toEqual({ Alice: ["[chat] You: hi all"], Bob: ["[chat] Alice: hi all"], Carol: [] });
    expect(tw.gateway.oobFor(carol.session, from)).toEqual([]);
    expect(tw.gateway.oobFor(bob.session, from)).toEqual([{ channel: "Comm.Channel.Text", data: { channel: "chat", talker: "Alice", text: "hi all" } }]);
  });

  it("what Alice does is still seen: she walks away", () => {
    expect(tw.run(alice, "north").Carol).toEqual(["Alice leaves north."]);
  });

  it("Alice reads Carol as before: ignoring goes one way", () => {
    expect(tw.run(carol, "say hello alice").Alice).toEqual(['Carol says, "hello alice"']);
  });
});

describe("a muted player cannot speak", () => {
  beforeEach(() => {
    tw.world.findOnline("alice")!.muted = true;
    tw.run(bob, "tell alice hi");
  });

  it.each([
    ["say", "say hello"],
    ["'", "'hello"],
    ["emote", "emote waves"],
    [":", ":waves"],
    ["tell", "tell bob hello"],
    ["reply", "reply hello"],
    ["whisper", "whisper bob hello"],
    ["a channel post", "chat hello"],
    ["post", "post chat hello"],
  ])("%s: You are muted and cannot speak.", (_what, command) => {
    expect(tw.run(alice, command)).toEqual({ Alice: [MUTED], Bob: [], Carol: [] });
  });

  it("nothing is kept in the history", () => {
    tw.run(alice, "chat hello");
    expect(tw.store.channelHistory("chat", 10)).toEqual([]);
  });

  it("a mute saved on the account holds after logging in again; others can still be read", async () => {
    tw.store.setMuted("bob", true);
    tw.leave(bob, "quit");
    bob = await tw.join("Bob", "line", "connect");
    expect(tw.run(bob, "say hi").Bob).toEqual([MUTED]);
    expect(tw.run(carol, "say hi bob").Bob).toEqual(['Carol says, "hi bob"']);
  });
});
