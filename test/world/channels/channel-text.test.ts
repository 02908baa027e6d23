/**
 * src/world/channels/channel-text.ts: the channel-name rule at its limits, the time stamps of
 * history lines, and the lines and out-of-band entries as members read them.
 */
import { describe, expect, it } from "vitest";
import { spansText } from "../../../src/session/render.js";
import { checkChannelName, historyLine, listEntry, postLine, shownChannelName, stamp } from "../../../src/world/channels/channel-text.js";

const commands = new Set(["look", "say", "l"]);
const isCommand = (word: string): boolean => commands.has(word);
const RULE = "Channel names are 2 to 16 letters or digits, a to z and 0 to 9.";

describe("checkChannelName", () => {
  it("2 to 16 lowercase letters or digits, at the limits and one past", () => {
    expect(checkChannelName("a", isCommand)).toEqual({ ok: false, error: RULE });
    expect(checkChannelName("ab", isCommand)).toEqual({ ok: true, name: "ab" });
    expect(checkChannelName("a".repeat(16), isCommand)).toEqual({ ok: true, name: "a".repeat(16) });
    expect(checkChannelName("a".repeat(17), isCommand)).toEqual({ ok: false, error: RULE });
    expect(checkChannelName("", isCommand)).toEqual({ ok: false, error: RULE });
  });

  it("any case in, lowercase out; digits allowed; anything else refused", () => {
    expect(checkChannelName(" Trade42 ", isCommand)).toEqual({ ok: true, name: "trade42" });
    expect(checkChannelName("42", isCommand)).toEqual({ ok: true, name: "42" });
    for (const bad of ["new-s", "two words", "caf\u00e9", "\u0430b" /* Cyrillic а */, "a_b", "a\u200bb"]) {
      expect(checkChannelName(bad, isCommand), bad).toEqual({ ok: false, error: RULE });
    }
  });

  it("a command word or alias is refused: the dispatcher would take it first", () => {
    expect(checkChannelName("LOOK", isCommand)).toEqual({ ok: false, error: '"look" is a command; a channel of that name could not be posted on.' });
  });

  it("a name quoted back in a refusal is sanitised and cut short", () => {
    expect(shownChannelName(`\x1b[2J${"X".repeat(50)}`)).toBe("x".repeat(30));
  });
});

describe("stamp", () => {
  const day = 86_400_000;
  it("the time alone for today (UTC), the date too before", () => {
    const at = Date.UTC(2024, 2, 1, 14, 5, 59);
    expect(stamp(at, at)).toBe("14:05");
    expect(stamp(at, Date.UTC(2024, 2, 1, 23, 59, 59))).toBe("14:05");
    expect(stamp(at, Date.UTC(2024, 2, 2, 0, 0, 0))).toBe("2024-03-01 14:05");
    expect(stamp(0, 3 * day)).toBe("1970-01-01 00:00");
  });
});

describe("lines", () => {
  it("a post reads [chat] Name: text; the others' copy is chatter", () => {
    expect(spansText(postLine("chat", "Alice", "hello", "chatter").spans)).toBe("[chat] Alice: hello");
    expect(postLine("chat", "Alice", "hello", "chatter").priority).toBe("chatter");
    expect(postLine("chat", "You", "hello", "essential").priority).toBeUndefined();
  });

  it("a history line is sanitised again on the way out (a store may come from elsewhere)", () => {
    const spans = historyLine({ channel: "chat", at: 0, sender: "Bob", text: "hi\x1b[31m there" }, 0);
    expect(spansText(spans)).toBe("[chat 00:00] Bob: hi there");
  });

  it("Comm.Channel.List entries", () => {
    expect(listEntry("chat")).toEqual({ name: "chat", caption: "Chat", command: "chat" });
  });
});
