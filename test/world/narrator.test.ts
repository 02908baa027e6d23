/**
 * The narrator (src/world/narrator.ts) alone, over a recording gateway and hand-made things:
 * one event becomes at most three deliveries (the actor's text, the target's, and one text for
 * every bystander however many there are), with the right priorities, and reaches the minds in
 * the place as data.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { GatewayPort, OutboundMessage } from "../../src/session/messages.js";
import { line } from "../../src/session/messages.js";
import { spansText } from "../../src/session/render.js";
import { place } from "../../src/world/model/containment.js";
import { Thing } from "../../src/world/model/thing.js";
import { Narrator } from "../../src/world/narrator.js";
import { DISTINCT_LETTERS } from "../support/names.js";
import { makeTestWorld } from "../support/transcript.js";

class RecordingGateway implements GatewayPort {
  readonly sent: OutboundMessage[] = [];
  send(message: OutboundMessage): void {
    this.sent.push(message);
  }
  /** Each delivery as its text, recipients and priority. */
  deliveries(): { text: string; to: readonly number[]; priority: string | undefined }[] {
    return this.sent.flatMap((m) => (m.type === "deliver" ? [{ text: spansText(m.message.spans), to: m.to, priority: m.message.priority }] : []));
  }
}

function makeRoom(): Thing {
  return Thing.fromRecord({ id: "hall", location: null, name: "The Hall", keywords: ["hall"], description: "", facets: { room: { area: "test" } } });
}

/** A player's character in `room`, played by `session`. */
function player(room: Thing, name: string, session: number): Thing {
  const key = name.toLowerCase();
  const thing = Thing.fromRecord({ id: `player:${key}`, location: null, name, keywords: [key], description: "", facets: { character: { pronouns: "they", player: key } } });
  place(thing, room);
  thing.session = session;
  return thing;
}

/** A character of the world with a behaviour (a mind), in `room`. */
function npc(room: Thing, name: string): Thing {
  const thing = Thing.fromRecord({
    id: name.toLowerCase(),
    location: null,
    name,
    keywords: [name.toLowerCase()],
    description: "",
    facets: { character: { pronouns: "she" }, behaviours: [{ name: "greet", params: {} }] },
  });
  place(thing, room);
  return thing;
}

let gateway: RecordingGateway;
let heard: [string, string][];
let narrator: Narrator;
let room: Thing;

beforeEach(() => {
  gateway = new RecordingGateway();
  heard = [];
  narrator = new Narrator(gateway, (event, listener) => heard.push([event.kind, listener.id]));
  room = makeRoom();
});

/** Thirty players in the room, sessions 1..30. */
function crowd(): Thing[] {
  return Array.from({ length: 30 }, (_, i) => player(room, `P${i + 1}`, i + 1));
}

describe("Narrator.narrate", () => {
  it("a say in a room of 30 is 2 deliver messages: the speaker's, and one text for the other 29", () => {
    const [speaker] = crowd();
    narrator.narrate({ kind: "say", place: room, actor: speaker!, text: '"hello"', phrase: { text: "{actor} {actor|say}, {text}" } });
    expect(gateway.sent).toHaveLength(2);
    expect(gateway.deliveries()).toEqual([
      { text: 'You say, "hello"', to: [1], priority: undefined },
      { text: 'P1 says, "hello"', to: Array.from({ length: 29 }, (_, i) => i + 2), priority: "chatter" },
    ]);
  });

  it("a give in a room of 30 is 3: the actor's wording, the target's, and one for the 28 others", () => {
    const people = crowd();
    const apple = Thing.fromRecord({ id: "apple", location: null, name: "a red apple", keywords: ["apple"], description: "", facets: { portable: true } });
    narrator.narrate({
      kind: "give",
      place: room,
      actor: people[0]!,
      target: people[1]!,
      things: [apple],
      phrase: { text: "{actor} {actor|give} {target} {things}.", actor: "{actor} {actor|give} {things} to {target}." },
    });
    const deliveries = gateway.deliveries();
    expect(deliveries.map((d) => [d.text, d.to.length, d.priority])).toEqual([
      ["You give a red apple to P2.", 1, undefined],
      ["P1 gives you a red apple.", 1, "chatter"],
      ["P1 gives P2 a red apple.", 28, "chatter"],
    ]);
    expect(deliveries[1]!.to).toEqual([2]);
    expect(deliveries[2]!.to).not.toContain(1);
    expect(deliveries[2]!.to).not.toContain(2);
  });

  it("the target's own template, when given, is what the target reads", () => {
    const [alice, bob] = [player(room, "Alice", 1), player(room, "Bob", 2)];
    narrator.narrate({ kind: "poke", place: room, actor: alice, target: bob, phrase: { text: "{actor} {actor|poke} {target}.", target: "Someone pokes you." } });
    expect(gateway.deliveries().map((d) => d.text)).toEqual(["You poke Bob.", "Someone pokes you."]);
  });

  it("an actor template of \"\" tells the actor nothing (a walker reads the room instead)", () => {
    const [alice] = [player(room, "Alice", 1), player(room, "Bob", 2)];
    narrator.narrate({ kind: "leave", place: room, actor: alice, phrase: { text: "{actor} {actor|leave} north.", actor: "" } });
    expect(gateway.deliveries()).toEqual([{ text: "Alice leaves north.", to: [2], priority: "chatter" }]);
  });

  it("alone in the room, only the actor's message is sent", () => {
    const alice = player(room, "Alice", 1);
    narrator.narrate({ kind: "say", place: room, actor: alice, text: '"anyone?"', phrase: { text: "{actor} {actor|say}, {text}" } });
    expect(gateway.sent).toHaveLength(1);
  });

  it("audience participants: the actor and the target only, however many are in the place", () => {
    const people = crowd();
    narrator.narrate({ kind: "tell", place: room, audience: "participants", actor: people[0]!, target: people[5]!, text: '"psst"', phrase: { text: "{actor} {actor|tell} {target}, {text}" } });
    expect(gateway.deliveries()).toEqual([
      { text: 'You tell P6, "psst"', to: [1], priority: undefined },
      { text: 'P1 tells you, "psst"', to: [6], priority: "chatter" },
    ]);
  });

  it("things and offline characters in the place are not sent anything", () => {
    const alice = player(room, "Alice", 1);
    const offline = player(room, "Gone", 2);
    offline.session = undefined;
    const apple = Thing.fromRecord({ id: "apple", location: null, name: "a red apple", keywords: ["apple"], description: "", facets: { portable: true } });
    place(apple, room);
    narrator.narrate({ kind: "say", place: room, actor: alice, text: '"hi"', phrase: { text: "{actor} {actor|say}, {text}" } });
    expect(gateway.deliveries().map((d) => d.to)).toEqual([[1]]);
  });

  it("a target who is the actor reads the actor's text once", () => {
    const alice = player(room, "Alice", 1);
    narrator.narrate({ kind: "poke", place: room, actor: alice, target: alice, phrase: { text: "{actor} {actor|poke} {target.themself}." } });
    expect(gateway.deliveries()).toEqual([{ text: "You poke yourself.", to: [1], priority: undefined }]);
  });

  it("an actor with no session (a cat) is told nothing, and bystanders still read it", () => {
    const cat = Thing.fromRecord({ id: "cat", location: null, name: "a grey cat", keywords: ["cat"], description: "", facets: { character: { pronouns: "it" } } });
    place(cat, room);
    player(room, "Alice", 1);
    narrator.narrate({ kind: "leave", place: room, actor: cat, phrase: { text: "{actor} {actor|pad off} north.", actor: "" } });
    expect(gateway.deliveries()).toEqual([{ text: "A grey cat pads off north.", to: [1], priority: "chatter" }]);
  });
});

describe("minds", () => {
  it("every mind in the place hears the event as data, the actor's own excepted", () => {
    const alice = player(room, "Alice", 1);
    npc(room, "Marta");
    npc(room, "Tom");
    narrator.narrate({ kind: "arrive", place: room, actor: alice, phrase: { text: "{actor} {actor|arrive}.", actor: "" } });
    expect(heard).toEqual([
      ["arrive", "marta"],
      ["arrive", "tom"],
    ]);
  });

  it("a mind that is the target hears it once, even when only the participants read it", () => {
    const alice = player(room, "Alice", 1);
    const marta = npc(room, "Marta");
    narrator.narrate({ kind: "tell", place: room, audience: "participants", actor: alice, target: marta, text: '"hi"', phrase: { text: "{actor} {actor|tell} {target}, {text}" } });
    expect(heard).toEqual([["tell", "marta"]]);
  });

  it("a mind acting does not hear itself", () => {
    player(room, "Alice", 1);
    const marta = npc(room, "Marta");
    narrator.narrate({ kind: "say", place: room, actor: marta, text: '"welcome"', phrase: { text: "{actor} {actor|say}, {text}" } });
    expect(heard).toEqual([]);
    expect(gateway.deliveries().map((d) => d.text)).toEqual(['Marta says, "welcome"']);
  });
});

describe("Narrator.tell and render", () => {
  it("tell sends one message to a played character, and nothing to one nobody plays", () => {
    const alice = player(room, "Alice", 7);
    const cat = Thing.fromRecord({ id: "cat", location: null, name: "a grey cat", keywords: ["cat"], description: "", facets: { character: { pronouns: "it" } } });
    narrator.tell(alice, line("Just you."));
    narrator.tell(cat, line("Nobody."));
    expect(gateway.deliveries()).toEqual([{ text: "Just you.", to: [7], priority: undefined }]);
  });

  it("render gives one observer's spans", () => {
    const alice = player(room, "Alice", 1);
    expect(spansText(narrator.render("{actor} {actor|wave}.", { actor: alice }, alice))).toBe("You wave.");
    expect(spansText(narrator.render("{actor} {actor|wave}.", { actor: alice }, undefined))).toBe("Alice waves.");
  });
});

describe("in a running world", () => {
  it("a say typed in a room of 30 players reaches the gateway as 2 deliver messages", async () => {
    const tw = makeTestWorld();
    try {
      const names = Array.from({ length: 30 }, (_, i) => `Crowd${DISTINCT_LETTERS[i % 16]!}${DISTINCT_LETTERS[Math.floor(i / 16)]!}`);
      const players = [];
      for (const name of names) players.push(await tw.join(name));
      const from = tw.gateway.sent.length;
      tw.run(players[0]!, "say hello, everyone");
      const sent = tw.gateway.sent.slice(from);
      expect(sent.map((m) => (m.type === "deliver" ? [spansText(m.message.spans), m.to.length] : m.type))).toEqual([
        ['You say, "hello, everyone"', 1],
        [`${names[0]!} says, "hello, everyone"`, 29],
      ]);
    } finally {
      tw.close();
    }
  });
});
