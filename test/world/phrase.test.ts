/**
 * Phrase rendering (src/world/phrase.ts) alone, on hand-made things: every slot form as the
 * participant itself, another participant and a bystander read it; verb agreement for you,
 * he, she, they and it, and for a "they" person named by name or by pronoun; the capital
 * letter; the templates it refuses; and that `{text}` cannot smuggle a slot in.
 */
import { describe, expect, it } from "vitest";
import type { Span } from "../../src/session/messages.js";
import { spansText } from "../../src/session/render.js";
import { Thing } from "../../src/world/model/thing.js";
import type { PronounSet } from "../../src/world/model/thing-record.js";
import { compile, renderPhrase, type PhraseValues } from "../../src/world/phrase.js";

/** A player's character with this name and pronoun set. */
function person(name: string, pronouns: PronounSet): Thing {
  const key = name.toLowerCase();
  return Thing.fromRecord({ id: `player:${key}`, location: null, name, keywords: [key], description: "", facets: { character: { pronouns, player: key } } });
}

function thing(id: string, name: string): Thing {
  return Thing.fromRecord({ id, location: null, name, keywords: [id], description: "", facets: { portable: true } });
}

const alice = person("Alice", "she");
const bob = person("Bob", "he");
const sam = person("Sam", "they");
const robot = person("Unit", "it");
const cat = Thing.fromRecord({ id: "cat", location: null, name: "a grey cat", keywords: ["cat"], description: "", facets: { character: { pronouns: "it" } } });
const marta = Thing.fromRecord({ id: "marta", location: null, name: "Marta", keywords: ["marta"], description: "", facets: { character: { pronouns: "she" } } });
const apple = thing("apple", "a red apple");
const oakChest = Thing.fromRecord({ id: "chest", location: null, name: "an oak chest", keywords: ["chest"], description: "", facets: { container: {} } });
const coin1 = thing("coin", "a copper coin");
const coin2 = thing("coin#2", "a copper coin");
const letter = thing("letter", "a folded letter");
const door = Thing.fromRecord({
  id: "hall/east",
  location: null,
  name: "east",
  keywords: ["east"],
  description: "",
  facets: { exit: { direction: "east", to: "vault", door: { name: "an iron door", keywords: ["door"], open: false, locked: true } } },
});
const north = Thing.fromRecord({ id: "hall/north", location: null, name: "north", keywords: ["north"], description: "", facets: { exit: { direction: "north", to: "yard" } } });

/** The text of `template` as `observer` reads it (undefined: a bystander). */
function read(template: string, values: PhraseValues, observer?: Thing): string {
  return spansText(renderPhrase(template, values, observer));
}

describe("slot forms", () => {
  it("{role}: you to itself; a name, a thing with its article, a door, a bare direction to others", () => {
    expect(read("{actor} {actor|see} {target}.", { actor: alice, target: bob }, alice)).toBe("You see Bob.");
    expect(read("{actor} {actor|see} {target}.", { actor: alice, target: bob }, bob)).toBe("Alice sees you.");
    expect(read("{actor} {actor|see} {target}.", { actor: alice, target: bob })).toBe("Alice sees Bob.");
    expect(read("{actor} {actor|see} {thing}.", { actor: alice, thing: apple })).toBe("Alice sees a red apple.");
    expect(read("{actor} {actor|see} {thing}.", { actor: alice, thing: oakChest })).toBe("Alice sees an oak chest.");
    expect(read("{actor} {actor|see} {thing}.", { actor: alice, thing: door })).toBe("Alice sees an iron door.");
    expect(read("{actor} {actor|look} {thing}.", { actor: alice, thing: north })).toBe("Alice looks north.");
  });

  it("{role.the}: the definite article; a name has none; you to itself", () => {
    expect(read("{actor} {actor|open} {thing.the}.", { actor: alice, thing: oakChest })).toBe("Alice opens the oak chest.");
    expect(read("{actor} {actor|open} {thing.the}.", { actor: alice, thing: door })).toBe("Alice opens the iron door.");
    expect(read("{actor} {actor|pat} {target.the}.", { actor: alice, target: cat })).toBe("Alice pats the grey cat.");
    expect(read("{actor} {actor|pat} {target.the}.", { actor: alice, target: marta })).toBe("Alice pats Marta.");
    expect(read("{actor} {actor|pat} {target.the}.", { actor: alice, target: cat }, cat)).toBe("Alice pats you.");
  });

  it("{role.name}: as others see it, even to itself", () => {
    expect(read("{actor.name} waves.", { actor: alice }, alice)).toBe("Alice waves.");
    expect(read("{actor.name} waves.", { actor: cat }, alice)).toBe("A grey cat waves.");
  });

  it("{role's}: your to itself; a name's or the thing's to others", () => {
    expect(read("{actor's} eyes narrow.", { actor: alice }, alice)).toBe("Your eyes narrow.");
    expect(read("{actor's} eyes narrow.", { actor: alice })).toBe("Alice's eyes narrow.");
    expect(read("{actor} {actor|stroke} {target's} ears.", { actor: alice, target: cat })).toBe("Alice strokes the grey cat's ears.");
    expect(read("{actor} {actor|stroke} {target's} ears.", { actor: alice, target: cat }, cat)).toBe("Alice strokes your ears.");
  });

  it.each([
    ["she", alice, "she her her herself"],
    ["he", bob, "he him his himself"],
    ["they", sam, "they them their themself"],
    ["it", robot, "it it its itself"],
  ] as const)("{role.they} {role.them} {role.their} {role.themself} for %s", (_, who, forms) => {
    expect(read("1: {actor.they} {actor.them} {actor.their} {actor.themself}", { actor: who })).toBe(`1: ${forms}`);
  });

  it("the pronoun forms read you, you, your, yourself to the participant itself", () => {
    expect(read("1: {actor.they} {actor.them} {actor.their} {actor.themself}", { actor: alice }, alice)).toBe("1: you you your yourself");
  });

  it("{things}: the event's things counted, in the order first seen; nothing for none", () => {
    expect(read("{actor} {actor|drop} {things}.", { actor: alice, things: [coin1, letter, coin2] })).toBe("Alice drops two copper coins and a folded letter.");
    expect(read("{actor} {actor|drop} {things}.", { actor: alice, things: [apple] })).toBe("Alice drops a red apple.");
    expect(read("[{things}]", { actor: alice, things: [] })).toBe("[]");
    expect(read("[{things}]", { actor: alice })).toBe("[]");
  });

  it("{text}: the event's text, styled as speech; nothing when there is none", () => {
    const spans = renderPhrase("{actor} {actor|say}, {text}", { actor: alice, text: '"hi"' }, undefined);
    expect(spans.at(-1)).toEqual({ text: '"hi"', style: "speech" });
    expect(read("{actor} {actor|say}, {text}", { actor: alice })).toBe("Alice says, ");
  });

  it("a participant the event lacks reads as nothing", () => {
    expect(read("{actor} {actor|wave}{target}.", { actor: alice })).toBe("Alice waves.");
  });

  it("participants are styled by kind: names, things, bare exits", () => {
    const spans: Span[] = renderPhrase("{actor} {thing} {target} {tool}", { actor: alice, thing: apple, target: bob, tool: north }, undefined);
    expect(spans.filter((s) => typeof s !== "string")).toEqual([
      { text: "Alice", style: "name" },
      { text: "a red apple", style: "thing" },
      { text: "Bob", style: "name" },
      { text: "north", style: "exit" },
    ]);
  });
});

describe("verb agreement", () => {
  it.each([
    ["you (the actor reading)", alice, alice, "You give"],
    ["he", bob, undefined, "Bob gives"],
    ["she", alice, undefined, "Alice gives"],
    ["they, named by name", sam, undefined, "Sam gives"],
    ["it", cat, undefined, "A grey cat gives"],
  ] as const)("%s", (_, actor, observer, expected) => {
    expect(read("{actor} {actor|give} {target} {things}.", { actor, target: marta, things: [apple] }, observer)).toBe(`${expected} Marta a red apple.`);
  });

  it("a they person named by pronoun takes the plural verb; named by name again, the singular", () => {
    const template = "{actor} {actor|nod}; {actor.they} {actor|smile}; {actor} {actor|wave}.";
    expect(read(template, { actor: sam })).toBe("Sam nods; they smile; Sam waves.");
    expect(read(template, { actor: alice })).toBe("Alice nods; she smiles; Alice waves.");
    expect(read(template, { actor: robot })).toBe("Unit nods; it smiles; Unit waves.");
    expect(read(template, { actor: sam }, sam)).toBe("You nod; you smile; you wave.");
  });

  it("be and have: you are, they are, she is; you have, it has", () => {
    expect(read("{actor.they} {actor|be} here.", { actor: sam })).toBe("They are here.");
    expect(read("{actor.they} {actor|be} here.", { actor: alice })).toBe("She is here.");
    expect(read("{actor} {actor|be} here.", { actor: alice }, alice)).toBe("You are here.");
    expect(read("{actor} {actor|have} left.", { actor: alice }, alice)).toBe("You have left.");
    expect(read("{actor} {actor|have} left.", { actor: cat })).toBe("A grey cat has left.");
  });

  it("a verb of several words conjugates its first: picks up, pads off", () => {
    expect(read("{actor} {actor|pick up} {things}.", { actor: alice, things: [apple] })).toBe("Alice picks up a red apple.");
    expect(read("{actor} {actor|pad off} north.", { actor: cat })).toBe("A grey cat pads off north.");
  });

  it("each participant's verb agrees with that participant", () => {
    expect(read("{actor} {actor|push} {target}, who {target|fall}.", { actor: alice, target: bob }, bob)).toBe("Alice pushes you, who fall.");
    expect(read("{actor} {actor|push} {target}, who {target|fall}.", { actor: alice, target: bob }, alice)).toBe("You push Bob, who falls.");
  });
});

describe("capitalisation", () => {
  it("the first letter of the sentence, whatever slot it is in", () => {
    expect(read("{actor} {actor|wave}.", { actor: alice }, alice)).toBe("You wave.");
    expect(read("{thing.the} is closed.", { actor: alice, thing: oakChest })).toBe("The oak chest is closed.");
    expect(read("{actor} {actor|purr}.", { actor: cat })).toBe("A grey cat purrs.");
    expect(read("{actor.they} {actor|wave}.", { actor: alice })).toBe("She waves.");
  });

  it("past leading punctuation, even into the next span", () => {
    expect(read("({actor} {actor|nod}.)", { actor: alice }, alice)).toBe("(You nod.)");
    expect(read("... {actor.they} {actor|sigh}.", { actor: sam })).toBe("... They sigh.");
  });

  it("only the first: you later in the sentence stays lowercase", () => {
    expect(read("{actor} {actor|give} {target} {things}.", { actor: alice, target: bob, things: [apple] }, bob)).toBe("Alice gives you a red apple.");
  });
});

describe("templates", () => {
  it("are compiled once", () => {
    expect(compile("{actor} {actor|wave}.")).toBe(compile("{actor} {actor|wave}."));
  });

  it.each([
    ["an unknown participant", "{nobody} waves.", /unknown slot \{nobody\}/],
    ["an unknown form", "{actor.colour} waves.", /unknown form \{actor\.colour\}/],
    ["an empty verb", "{actor} {actor|}.", /malformed slot/],
    ["an unclosed slot", "{actor} opens {thing.the", /malformed slot/],
    ["a stray brace", "{actor} waves }", /malformed slot/],
    ["nothing but a bad slot", "{Actor}", /malformed slot/],
  ])("refuse %s", (_, template, message) => {
    expect(() => compile(template)).toThrow(message);
  });

  it("{text} cannot inject a slot: what a player typed is read as typed", () => {
    const values = { actor: alice, target: bob, text: '"{target} {actor|give} {actor.the} {things}"' };
    expect(read("{actor} {actor|say}, {text}", values, bob)).toBe('Alice says, "{target} {actor|give} {actor.the} {things}"');
    expect(read("{actor.name} {text}", { actor: alice, text: "{actor's} eyes" })).toBe("Alice {actor's} eyes");
  });
});
