/** web/completion.ts: Tab completion of the word under the cursor, and cycling with Tab again. */
import { describe, expect, it } from "vitest";
import { candidates, Completer, describeCompletion, MAX_COMPLETIONS, type CompletionSources } from "../../web/completion.js";
import { WorldView } from "../../web/world-view.js";

const sources: CompletionSources = {
  commands: ["look", "lock", "logout", "say", "north"],
  exits: ["n", "north", "e", "east"],
  things: ["red apple", "lantern"],
  people: ["Alice", "Albert"],
};

describe("candidates", () => {
  it("offers commands and exits for the first word, people, things and exits after it", () => {
    expect(candidates("lo", true, sources)).toEqual(["lock", "logout", "look"]);
    expect(candidates("no", true, sources)).toEqual(["north"]);
    expect(candidates("al", false, sources)).toEqual(["Albert", "Alice"]);
    expect(candidates("l", false, sources)).toEqual(["lantern"]);
  });

  it("matches any word of a phrase, case-insensitively", () => {
    expect(candidates("AP", false, sources)).toEqual(["red apple"]);
  });

  it("keeps at most MAX_COMPLETIONS, no duplicates", () => {
    const many = Array.from({ length: MAX_COMPLETIONS + 5 }, (_, i) => `x${i}`);
    expect(candidates("x", false, { ...sources, people: [...many, ...many] })).toHaveLength(MAX_COMPLETIONS);
  });
});

describe("Completer", () => {
  it("completes a single match with a space after it", () => {
    const c = new Completer();
    expect(c.complete("look red", 8, sources)).toMatchObject({ value: "look red apple ", cursor: 15, matches: ["red apple"] });
  });

  it("cycles through matches on repeated Tab, and backwards with Shift+Tab", () => {
    const c = new Completer();
    const first = c.complete("look al", 7, sources);
    expect(first).toMatchObject({ value: "look Albert", index: 0 });
    const second = c.complete(first!.value, first!.cursor, sources);
    expect(second).toMatchObject({ value: "look Alice", index: 1 });
    const third = c.complete(second!.value, second!.cursor, sources);
    expect(third).toMatchObject({ value: "look Albert", index: 0 });
    const back = c.complete(third!.value, third!.cursor, sources, true);
    expect(back).toMatchObject({ value: "look Alice", index: 1 });
  });

  it("completes the word before the cursor and keeps the rest of the line", () => {
    const c = new Completer();
    expect(c.complete("give al apple", 7, sources)).toMatchObject({ value: "give Albert apple", cursor: 11 });
  });

  it("completes an exit's long name from Room.Info's short keys: `go sou` + Tab", () => {
    const view = new WorldView();
    view.apply({ type: "room-info", name: "Square", area: "Town", exits: ["n", "s", "e", "w", "in"] });
    const world: CompletionSources = { commands: view.commands, exits: view.exitWords(), things: [], people: [] };
    expect(new Completer().complete("go sou", 6, world)).toMatchObject({ value: "go south ", matches: ["south"] });
    expect(new Completer().complete("ea", 2, world)?.value).toBe("east ");
  });

  it("starts over after an edit", () => {
    const c = new Completer();
    c.complete("look al", 7, sources);
    expect(c.complete("look ali", 8, sources)).toMatchObject({ value: "look Alice ", matches: ["Alice"] });
  });

  it("returns undefined with nothing to complete, so Tab can move the focus (no keyboard trap)", () => {
    const c = new Completer();
    expect(c.complete("", 0, sources)).toBeUndefined();
    expect(c.complete("look ", 5, sources)).toBeUndefined();
    expect(c.complete("zzz", 3, sources)).toBeUndefined();
  });

  it("describes the completion for the polite status region", () => {
    const c = new Completer();
    expect(describeCompletion(c.complete("look red", 8, sources)!)).toBe("Completed: red apple");
    const two = c.complete("look al", 7, sources)!;
    expect(describeCompletion(two)).toBe("Albert (1 of 2: Albert, Alice)");
  });
});
