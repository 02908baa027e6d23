/** The two WebSocket renderings, and the JSON frames beside them. */
import { describe, expect, it } from "vitest";
import { line, prompt, styled } from "../../../src/session/messages.js";
import { renderWsEcho, renderWsJson, renderWsOob, renderWsText } from "../../../protocols/websocket/render.js";

describe("renderWsText", () => {
  it("joins the spans' text, drops styles, adds no newline", () => {
    expect(renderWsText(line(styled("name", "Alice"), ' says, "', styled("speech", "hi"), '"'))).toBe('Alice says, "hi"');
    expect(renderWsText(prompt("> "))).toBe("> ");
    expect(renderWsText(line())).toBe("");
  });
});

describe("renderWsJson", () => {
  it("is the message as is, tagged t:text", () => {
    const message = line(styled("title", "The Loom Room"), "\nA quiet room.");
    expect(JSON.parse(renderWsJson(message))).toEqual({
      t: "text",
      kind: "line",
      spans: [{ text: "The Loom Room", style: "title" }, "\nA quiet room."],
    });
    expect(JSON.parse(renderWsJson(prompt("Name: ")))).toEqual({ t: "text", kind: "prompt", spans: ["Name: "] });
  });

  it("E9: wraps the spans at a width when given one, keeping their styles", () => {
    const message = line(styled("name", "Alice"), " says, ", styled("speech", "threads of every colour run from wall to wall"));
    expect(JSON.parse(renderWsJson(message, 20))).toEqual({
      t: "text",
      kind: "line",
      spans: [{ text: "Alice", style: "name" }, " says, ", { text: "threads\n  of every colour\n  run from wall to\n  wall", style: "speech" }],
    });
    expect(JSON.parse(renderWsJson(message))).toEqual(JSON.parse(renderWsJson(message, undefined)));
    expect(JSON.parse(renderWsJson(message)).spans).toEqual(message.spans);
  });

  it("keeps markup-looking text as data: the client decides how to show it", () => {
    const evil = "<img src=x onerror=alert(1)>";
    expect(JSON.parse(renderWsJson(line(evil)))).toEqual({ t: "text", kind: "line", spans: [evil] });
  });
});

describe("echo and oob frames", () => {
  it("renders echo and oob frames", () => {
    expect(renderWsEcho(false)).toBe('{"t":"echo","on":false}');
    expect(JSON.parse(renderWsOob("Room.Info", { id: 1 }) ?? "")).toEqual({ t: "oob", channel: "Room.Info", data: { id: 1 } });
  });

  it("returns undefined for data JSON cannot hold", () => {
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(renderWsOob("X", cyclic)).toBeUndefined();
    expect(renderWsOob("X", 1n)).toBeUndefined();
  });
});
