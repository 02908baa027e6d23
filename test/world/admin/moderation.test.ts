/**
 * The wording helpers of src/world/moderation.ts, alone: a sentence with an optional reason,
 * a role with its article, and a countdown's time left.
 */
import { describe, expect, it } from "vitest";
import { duration, withArticle, withReason } from "../../../src/world/moderation.js";

describe("withReason", () => {
  it("adds the reason after a colon, and a stop unless the reason ends a sentence", () => {
    expect(withReason("An admin has banned you", "")).toBe("An admin has banned you.");
    expect(withReason("An admin has banned you", "spam")).toBe("An admin has banned you: spam.");
    for (const end of [".", "!", "?"]) expect(withReason("You kick Bob", `enough${end}`)).toBe(`You kick Bob: enough${end}`);
  });
});

describe("withArticle", () => {
  it("a player, a builder, an admin", () => {
    expect(["player", "builder", "admin"].map((r) => withArticle(r as "player"))).toEqual(["a player", "a builder", "an admin"]);
  });
});

describe("duration", () => {
  it.each([
    [0, "0 seconds"],
    [1, "1 second"],
    [59, "59 seconds"],
    [60, "1 minute"],
    [61, "1 minute and 1 second"],
    [90, "1 minute and 30 seconds"],
    [120, "2 minutes"],
    [1800, "30 minutes"],
    [3599, "59 minutes and 59 seconds"],
    [3600, "1 hour"],
  ])("%i s is %s", (seconds, text) => {
    expect(duration(seconds)).toBe(text);
  });
});
