/** web/links.ts: which words of a listed span become buttons, and what a click sends. */
import { describe, expect, it } from "vitest";
import { bareName, exitCommand, exitParts, MAX_LINKED_SPAN_LENGTH, nameParts, splitListing } from "../../web/links.js";

describe("splitListing", () => {
  it("splits the way the world's listing() joins: items at even indexes, separators between", () => {
    expect(splitListing("north")).toEqual(["north"]);
    expect(splitListing("north, east")).toEqual(["north", ", ", "east"]);
    expect(splitListing("Alice, Bob and Carol")).toEqual(["Alice", ", ", "Bob", " and ", "Carol"]);
    expect(splitListing("Alice, Bob, and Carol")).toEqual(["Alice", ", ", "Bob", ", and ", "Carol"]);
  });

  it("gives back the text unchanged when joined", () => {
    for (const text of ["north, east (closed), down", "A grey cat and Alice", ""]) expect(splitListing(text).join("")).toBe(text);
  });
});

describe("exitParts", () => {
  it("links every exit, sending its direction; a closed door's note is not part of the command", () => {
    expect(exitParts("north, east (closed) and down")).toEqual([
      { text: "north", command: "north" },
      { text: ", " },
      { text: "east (closed)", command: "east" },
      { text: " and " },
      { text: "down", command: "down" },
    ]);
  });

  it("one span per exit works the same", () => {
    expect(exitParts("gate")).toEqual([{ text: "gate", command: "gate" }]);
  });

  it("leaves a span past the limit as plain text (at the limit it is still split)", () => {
    const at = `${"n".repeat(MAX_LINKED_SPAN_LENGTH - 3)}, e`;
    expect(exitParts(at)).toHaveLength(3);
    expect(exitParts(`${at}x`)).toEqual([{ text: `${at}x` }]);
  });

  it("exitCommand drops an empty item", () => {
    expect(exitCommand(" (closed)")).toBeUndefined();
  });
});

describe("a list the server wrapped (regression: 'west,\\n  in' became one link at 360 px)", () => {
  it("splits on a comma or ' and ' followed by a line break and the hanging indent", () => {
    expect(splitListing("north, south, east, west,\n  in")).toEqual(["north", ", ", "south", ", ", "east", ", ", "west", ",\n  ", "in"]);
    expect(splitListing("Alice, Bob\n  and Carol")).toEqual(["Alice", ", ", "Bob", "\n  and ", "Carol"]);
    expect(splitListing("Alice, Bob,\n  and Carol")).toEqual(["Alice", ", ", "Bob", ",\n  and ", "Carol"]);
    expect(splitListing("Alice,\tBob")).toEqual(["Alice", ",\t", "Bob"]);
  });

  it("keeps the server's break and indent as text; the exit's button holds only its name", () => {
    const parts = exitParts("north, south, east, west,\n  in");
    expect(parts.filter((p) => p.command !== undefined).map((p) => p.command)).toEqual(["north", "south", "east", "west", "in"]);
    expect(parts.at(-2)).toEqual({ text: ",\n  " });
    expect(parts.at(-1)).toEqual({ text: "in", command: "in" });
    expect(parts.map((p) => p.text).join("")).toBe("north, south, east, west,\n  in");
  });

  it("a closed door's note wrapped onto the next line is still not part of the command", () => {
    expect(exitParts("north, east\n  (closed)")).toEqual([{ text: "north", command: "north" }, { text: ", " }, { text: "east\n  (closed)", command: "east" }]);
  });

  it("whitespace at a span's edges stays text beside the button, not in it", () => {
    expect(exitParts("\n  north")).toEqual([{ text: "\n  " }, { text: "north", command: "north" }]);
    expect(exitParts("north \n")).toEqual([{ text: "north", command: "north" }, { text: " \n" }]);
  });

  it("names: wrapped separators, and a name broken across lines is looked at on one line", () => {
    const isPresent = (name: string): boolean => ["alice", "grey cat", "bob"].includes(name.toLowerCase());
    expect(nameParts("Alice, Bob\n  and a grey\n  cat", isPresent)).toEqual([
      { text: "Alice", command: "look Alice" },
      { text: ", " },
      { text: "Bob", command: "look Bob" },
      { text: "\n  and " },
      { text: "a grey\n  cat", command: "look grey cat" },
    ]);
    expect(bareName("the old\n  man")).toBe("old man");
  });

  it("' and ' needs whitespace on both sides: names holding 'and' stay whole", () => {
    expect(splitListing("Sandy, Andrew and Brandon")).toEqual(["Sandy", ", ", "Andrew", " and ", "Brandon"]);
  });
});

describe("nameParts", () => {
  const present = new Set(["alice", "grey cat"]);
  const isPresent = (name: string): boolean => present.has(name.toLowerCase());

  it("links only people in view, with `look <name>` and no article", () => {
    expect(nameParts("A grey cat, Alice and Bob", isPresent)).toEqual([
      { text: "A grey cat", command: "look grey cat" },
      { text: ", " },
      { text: "Alice", command: "look Alice" },
      { text: " and " },
      { text: "Bob" },
    ]);
  });

  it("a name nobody here has stays text", () => {
    expect(nameParts("Someone", isPresent)).toEqual([{ text: "Someone" }]);
  });

  it("bareName strips one leading article", () => {
    expect(bareName("an old man")).toBe("old man");
    expect(bareName("The Mayor")).toBe("Mayor");
    expect(bareName("Anna")).toBe("Anna");
  });
});
