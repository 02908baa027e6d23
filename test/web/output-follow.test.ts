/** web/output-follow.ts: when the output follows new text, remembered from the reader's own scrolling. */
import { describe, expect, it } from "vitest";
import { OutputFollow, PLAYER_SCROLL_MS } from "../../web/output-follow.js";

function setup(): { follow: OutputFollow; advance: (ms: number) => void } {
  let now = 10_000;
  return { follow: new OutputFollow(() => now), advance: (ms) => (now += ms) };
}

describe("OutputFollow", () => {
  it("follows from the start: new text goes to the end", () => {
    const { follow } = setup();
    follow.changed();
    expect(follow.frame(false)).toBe("end");
  });

  it("regression: the output getting shorter (panels opened at 360 px, a phone's keyboard) is not scrolling up", () => {
    const { follow } = setup();
    // #output shrank from 652 to 302 px: no scroll event, the layout is short of the end.
    expect(follow.resized()).toBe(true);
    follow.changed();
    expect(follow.frame(false)).toBe("end");
  });

  it("a scroll short of the end with no new text pending stops following (a script, find-in-page, the player)", () => {
    const { follow } = setup();
    follow.scrolled(false);
    expect(follow.following).toBe(false);
    follow.changed();
    expect(follow.frame(false)).toBe("mark");
    expect(follow.resized()).toBe(false);
  });

  it("a reader scrolled back who is at the end anyway (little text) needs no marker", () => {
    const { follow } = setup();
    follow.scrolled(false);
    follow.changed();
    expect(follow.frame(true)).toBe("none");
  });

  it("scrolling back to the end, or the New messages button, follows again", () => {
    const { follow } = setup();
    follow.scrolled(false);
    follow.scrolled(true);
    expect(follow.following).toBe(true);
    follow.scrolled(false);
    follow.jumpedToEnd();
    expect(follow.following).toBe(true);
  });

  it("the browser settling new text (scroll anchoring as old lines go) does not stop following", () => {
    const { follow } = setup();
    follow.changed();
    follow.scrolled(false);
    expect(follow.following).toBe(true);
    expect(follow.frame(false)).toBe("end");
  });

  it("the player's wheel, touch or key while new text arrives does stop following, for PLAYER_SCROLL_MS", () => {
    const { follow, advance } = setup();
    follow.playerInput();
    follow.changed();
    advance(PLAYER_SCROLL_MS);
    follow.scrolled(false);
    expect(follow.following).toBe(false);

    follow.jumpedToEnd();
    advance(1);
    follow.changed();
    follow.scrolled(false);
    expect(follow.following).toBe(true);
  });

  it("the page's own scroll to the end, overtaken by text before its event came, is not the player's (even just after a wheel turn)", () => {
    const { follow } = setup();
    follow.playerInput();
    follow.changed();
    follow.scrolled(false, true);
    expect(follow.following).toBe(true);
  });

  it("a scrollbar dragged (pointer held) is the player's however long it takes", () => {
    const { follow, advance } = setup();
    follow.pointer(true);
    advance(PLAYER_SCROLL_MS * 10);
    follow.changed();
    follow.scrolled(false);
    expect(follow.following).toBe(false);
    follow.jumpedToEnd();
    follow.pointer(false);
    advance(PLAYER_SCROLL_MS + 1);
    follow.changed();
    follow.scrolled(false);
    expect(follow.following).toBe(true);
  });

  it("a click elsewhere (a pointer released off the output) is not the player scrolling it", () => {
    const { follow } = setup();
    follow.pointer(false);
    follow.changed();
    follow.scrolled(false);
    expect(follow.following).toBe(true);
  });
});
